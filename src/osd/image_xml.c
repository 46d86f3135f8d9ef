/*
 * osd/image_xml.c - the ImageProperty and ImageDiskLayout XML documents.
 *
 * Both are written with libxml2 so names and descriptions taken from a WIM
 * are escaped; the formats are described in src/osd/README.md.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "osd/image_info.h"
#include "osd/wim_read.h"

/* XML 1.0 cannot carry most control characters even escaped; a WIM name is
 * free text, so blank them out rather than emit a document nobody parses. */
static char *xml_safe_text(const char *text)
{
    char *copy = cim_xstrdup(text);
    for (char *p = copy; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            *p = ' ';
    }
    return copy;
}

static void add_property(xmlNodePtr image, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    char *text = xml_safe_text(value);
    xmlNodePtr property = xmlNewTextChild(image, NULL, BAD_CAST "Property", BAD_CAST text);
    xmlNewProp(property, BAD_CAST "Name", BAD_CAST name);
    free(text);
}

static void add_number_property(xmlNodePtr image, const char *name, uint64_t value)
{
    char text[32];
    snprintf(text, sizeof text, "%" PRIu64, value);
    add_property(image, name, text);
}

static void add_number_attribute(xmlNodePtr node, const char *name, uint64_t value)
{
    char text[32];
    snprintf(text, sizeof text, "%" PRIu64, value);
    xmlNewProp(node, BAD_CAST name, BAD_CAST text);
}

static xmlNodePtr new_image_node(xmlNodePtr wim_node, uint32_t index)
{
    xmlNodePtr image = xmlNewChild(wim_node, NULL, BAD_CAST "IMAGE", NULL);
    add_number_attribute(image, "Index", index);
    return image;
}

/* Scripts written against live sites read WIM.IMAGE.name as the image's
 * display name, so the name is an attribute of IMAGE too. */
static void add_name_attribute(xmlNodePtr image, const char *name)
{
    if (!name || !*name)
        return;
    char *text = xml_safe_text(name);
    xmlNewProp(image, BAD_CAST "Name", BAD_CAST text);
    free(text);
}

static void add_image_properties(xmlNodePtr wim_node, const osd_image_info *info)
{
    xmlNodePtr image = new_image_node(wim_node, info->index);
    add_name_attribute(image, info->name);
    char *languages = osd_image_language_list(info);
    add_property(image, "Image name", info->name);
    add_property(image, "Image description", info->description);
    /* The raw WINDOWS/ARCH code, unconverted, as live sites hold it. */
    add_property(image, "Architecture", info->wim_architecture);
    add_property(image, "Language", languages);
    add_property(image, "Default language", info->default_language);
    add_property(image, "OS version", info->os_version);
    add_property(image, "HAL", info->hal);
    add_property(image, "Product type", info->product_type);
    add_property(image, "Product name", info->product_name);
    add_property(image, "Edition", info->edition_id);
    add_property(image, "Installation type", info->installation_type);
    add_property(image, "System root", info->system_root);
    add_property(image, "Flags", info->flags);
    add_number_property(image, "Size", info->total_bytes);
    add_number_property(image, "Directory count", info->dir_count);
    add_number_property(image, "File count", info->file_count);
    add_property(image, "Creation date", info->creation_time);
    add_property(image, "Last modification date", info->modification_time);
    add_property(image, "Bootable", info->bootable ? "true" : "false");
    free(languages);
}

static void add_disk_layout(xmlNodePtr wim_node, const osd_image_info *info)
{
    xmlNodePtr image = new_image_node(wim_node, info->index);
    xmlNodePtr partition = xmlNewChild(image, NULL, BAD_CAST "Partition", NULL);
    add_number_attribute(partition, "Number", 1);
    if (info->system_root) {
        char *root = xml_safe_text(info->system_root);
        xmlNewProp(partition, BAD_CAST "SystemRoot", BAD_CAST root);
        free(root);
    }
    add_number_attribute(partition, "Size", info->total_bytes);
    add_number_attribute(partition, "DirectoryCount", info->dir_count);
    add_number_attribute(partition, "FileCount", info->file_count);
    xmlNewProp(partition, BAD_CAST "Bootable", BAD_CAST(info->bootable ? "true" : "false"));
}

/* Serialises the <WIM> element alone (no XML declaration), as the
 * property value is embedded in other documents. */
static char *take_document(xmlDocPtr doc)
{
    xmlBufferPtr buffer = xmlBufferCreate();
    xmlNodeDump(buffer, doc, xmlDocGetRootElement(doc), 0, 0);
    char *text = cim_xstrdup((const char *)xmlBufferContent(buffer));
    xmlBufferFree(buffer);
    xmlFreeDoc(doc);
    return text;
}

static xmlDocPtr new_wim_document(xmlNodePtr *wim_node)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    *wim_node = xmlNewNode(NULL, BAD_CAST "WIM");
    xmlDocSetRootElement(doc, *wim_node);
    return doc;
}

/* A WIM element with add(image) for every image of the WIM, as text. */
static smsprov_code every_image_xml(WIMStruct *wim, const char *path,
                                    void (*add)(xmlNodePtr, const osd_image_info *),
                                    char **xml_out, smsprov_error *err)
{
    *xml_out = NULL;
    uint32_t image_count = osd_wim_image_count(wim);
    xmlNodePtr wim_node;
    xmlDocPtr doc = new_wim_document(&wim_node);
    for (uint32_t index = 1; index <= image_count; index++) {
        osd_image_info info;
        smsprov_code rc = osd_image_info_from_wim(wim, path, index, &info, err);
        if (rc != SMSPROV_OK) {
            xmlFreeDoc(doc);
            return rc;
        }
        add(wim_node, &info);
        osd_image_info_clear(&info);
    }
    *xml_out = take_document(doc);
    return SMSPROV_OK;
}

smsprov_code osd_image_properties_xml(WIMStruct *wim, const char *path, char **xml_out,
                                      smsprov_error *err)
{
    return every_image_xml(wim, path, add_image_properties, xml_out, err);
}

smsprov_code osd_image_disk_layout_xml(WIMStruct *wim, const char *path, uint32_t index,
                                       char **xml_out, smsprov_error *err)
{
    *xml_out = NULL;
    osd_image_info info;
    smsprov_code rc = osd_image_info_from_wim(wim, path, index, &info, err);
    if (rc != SMSPROV_OK)
        return rc;
    xmlNodePtr wim_node;
    xmlDocPtr doc = new_wim_document(&wim_node);
    add_disk_layout(wim_node, &info);
    osd_image_info_clear(&info);
    *xml_out = take_document(doc);
    return SMSPROV_OK;
}

smsprov_code osd_image_disk_layouts_xml(WIMStruct *wim, const char *path, char **xml_out,
                                        smsprov_error *err)
{
    return every_image_xml(wim, path, add_disk_layout, xml_out, err);
}

smsprov_code osd_read_image_properties(const char *path, char **xml_out, smsprov_error *err)
{
    *xml_out = NULL;
    WIMStruct *wim;
    smsprov_code rc = osd_wim_open(path, &wim, err);
    if (rc != SMSPROV_OK)
        return rc;
    rc = osd_image_properties_xml(wim, path, xml_out, err);
    osd_wim_close(wim);
    return rc;
}

smsprov_code osd_read_image_disk_layout(const char *path, uint32_t index, char **xml_out,
                                        smsprov_error *err)
{
    *xml_out = NULL;
    WIMStruct *wim;
    smsprov_code rc = osd_wim_open(path, &wim, err);
    if (rc != SMSPROV_OK)
        return rc;
    rc = osd_image_disk_layout_xml(wim, path, index, xml_out, err);
    osd_wim_close(wim);
    return rc;
}
