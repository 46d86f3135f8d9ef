/* csdl.c - $metadata: the OData CSDL of the schema, as the real service
 * writes it.  uint32 widens to Edm.Int64, so no value overflows a client's
 * type; an EntityType lists the twelve system properties entities carry,
 * then the class's properties in case-insensitive alphabetical order;
 * lazy properties are listed like the others (entities name them in
 * __LAZYPROPERTIES); Nullable="false" marks not_null properties only. */
#include "adminservice/json.h"

#include <stdlib.h>
#include <string.h>

static const char *edm_type(cim_type t)
{
    switch (t) {
    case CIM_TYPE_BOOLEAN:
        return "Edm.Boolean";
    case CIM_TYPE_UINT8:
        return "Edm.Byte";
    case CIM_TYPE_SINT8:
        return "Edm.SByte";
    case CIM_TYPE_SINT16:
        return "Edm.Int16";
    case CIM_TYPE_UINT16:
    case CIM_TYPE_SINT32:
        return "Edm.Int32";
    case CIM_TYPE_UINT32:
    case CIM_TYPE_SINT64:
    case CIM_TYPE_UINT64:
        return "Edm.Int64";
    case CIM_TYPE_REAL32:
        return "Edm.Single";
    case CIM_TYPE_REAL64:
        return "Edm.Double";
    case CIM_TYPE_DATETIME:
        return "Edm.DateTimeOffset";
    default:
        return "Edm.String";
    }
}

static void property_xml(cim_buf *b, const cim_property *p)
{
    char *type = p->type == CIM_TYPE_OBJECT && p->ref_class
                     ? cim_xasprintf("AdminService.%s", p->ref_class)
                     : cim_xstrdup(edm_type(p->type));
    if (p->is_array)
        cim_buf_printf(b, "<Property Name=\"%s\" Type=\"Collection(%s)\"", p->name, type);
    else
        cim_buf_printf(b, "<Property Name=\"%s\" Type=\"%s\"", p->name, type);
    if ((p->flags & CIM_PROP_NOT_NULL) && !(p->flags & CIM_PROP_KEY))
        cim_buf_append(b, " Nullable=\"false\"");
    cim_buf_append(b, "/>");
    free(type);
}

/* In the order the real service lists them. */
#define SYSTEM_PROPERTIES                                                                    \
    "<Property Name=\"__GENUS\" Type=\"Edm.Int32\"/>"                                        \
    "<Property Name=\"__CLASS\" Type=\"Edm.String\"/>"                                       \
    "<Property Name=\"__SUPERCLASS\" Type=\"Edm.String\"/>"                                  \
    "<Property Name=\"__DYNASTY\" Type=\"Edm.String\"/>"                                     \
    "<Property Name=\"__RELPATH\" Type=\"Edm.String\"/>"                                     \
    "<Property Name=\"__PROPERTY_COUNT\" Type=\"Edm.Int32\"/>"                               \
    "<Property Name=\"__DERIVATION\" Type=\"Collection(Edm.String)\"/>"                      \
    "<Property Name=\"__SERVER\" Type=\"Edm.String\"/>"                                      \
    "<Property Name=\"__NAMESPACE\" Type=\"Edm.String\"/>"                                   \
    "<Property Name=\"__PATH\" Type=\"Edm.String\"/>"                                        \
    "<Property Name=\"__LAZYPROPERTIES\" Type=\"Collection(Edm.String)\"/>"                  \
    "<Property Name=\"__QUALIFIER_SECURITYVERBS\" Type=\"Edm.Int32\"/>"

static void entity_type(cim_buf *b, const cim_class *cls)
{
    bool keyed = cls->key_count > 0;
    cim_buf_printf(b, "<%s Name=\"%s\" OpenType=\"true\">", keyed ? "EntityType" : "ComplexType",
                   cls->name);
    if (keyed) {
        cim_buf_append(b, "<Key>");
        for (size_t i = 0; i < cls->property_count; i++)
            if (cls->properties[i].flags & CIM_PROP_KEY)
                cim_buf_printf(b, "<PropertyRef Name=\"%s\"/>", cls->properties[i].name);
        cim_buf_append(b, "</Key>");
    }
    if (keyed)
        cim_buf_append(b, SYSTEM_PROPERTIES);
    else /* embedded objects carry only their class */
        cim_buf_append(b, "<Property Name=\"__CLASS\" Type=\"Edm.String\"/>");
    size_t count = 0;
    size_t *order = adminservice_sorted_properties(cls, &count);
    for (size_t i = 0; i < count; i++)
        property_xml(b, &cls->properties[order[i]]);
    free(order);
    cim_buf_printf(b, "</%s>", keyed ? "EntityType" : "ComplexType");
}

char *adminservice_csdl(const cim_schema *schema, const char *namespace_path)
{
    size_t count = 0;
    const cim_class **classes = cim_schema_list_classes(schema, namespace_path, NULL, true, &count);
    cim_buf b = {0};
    cim_buf_append(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                       "<edmx:Edmx Version=\"4.0\" "
                       "xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">"
                       "<edmx:DataServices><Schema Namespace=\"AdminService\" "
                       "xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">");
    for (size_t i = 0; i < count; i++)
        if (strncmp(classes[i]->name, "__", 2) != 0) /* system classes are no entities */
            entity_type(&b, classes[i]);
    cim_buf_append(&b, "<EntityContainer Name=\"Container\">");
    for (size_t i = 0; i < count; i++)
        if (classes[i]->key_count && strncmp(classes[i]->name, "__", 2) != 0)
            cim_buf_printf(&b, "<EntitySet Name=\"%s\" EntityType=\"AdminService.%s\"/>",
                           classes[i]->name, classes[i]->name);
    cim_buf_append(&b, "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>");
    free(classes);
    return cim_buf_take(&b);
}
