/* response.c - the envelope of CIM-XML responses. */
#include "cimxml/response.h"

#include "xmlcim/xmlcim.h"

void cimxml_response_begin(cim_buf *b, const char *message_id, bool intrinsic, const char *method)
{
    cim_buf_append(b, "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n"
                      "<CIM CIMVERSION=\"2.0\" DTDVERSION=\"2.0\"><MESSAGE ID=\"");
    xmlcim_escape(b, message_id);
    cim_buf_append(b, "\" PROTOCOLVERSION=\"1.0\"><SIMPLERSP>");
    cim_buf_append(b, intrinsic ? "<IMETHODRESPONSE NAME=\"" : "<METHODRESPONSE NAME=\"");
    xmlcim_escape(b, method);
    cim_buf_append(b, "\">");
}

void cimxml_response_end(cim_buf *b, bool intrinsic)
{
    cim_buf_append(b, intrinsic ? "</IMETHODRESPONSE>" : "</METHODRESPONSE>");
    cim_buf_append(b, "</SIMPLERSP></MESSAGE></CIM>\n");
}

void cimxml_response_error(cim_buf *b, int code, const char *description,
                           const cim_instance *status)
{
    cim_buf_printf(b, "<ERROR CODE=\"%d\" DESCRIPTION=\"", code);
    xmlcim_escape(b, description);
    if (!status) {
        cim_buf_append(b, "\"/>");
        return;
    }
    cim_buf_append(b, "\">");
    xmlcim_instance_options o = {0};
    xmlcim_write_instance(b, status, &o);
    cim_buf_append(b, "</ERROR>");
}
