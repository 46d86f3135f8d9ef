/* writer.h - the SOAP envelope around every answer, and message IDs. */
#ifndef SMSPROV_WSMAN_WRITER_H
#define SMSPROV_WSMAN_WRITER_H

#include "smsprov/cim.h"

/* Every namespace prefix the answers use, declared once on the Envelope. */
#define WSMAN_ENVELOPE_NAMESPACES                                                      \
    "xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "                             \
    "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "                    \
    "xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" "                      \
    "xmlns:n=\"http://schemas.xmlsoap.org/ws/2004/09/enumeration\" "                   \
    "xmlns:x=\"http://schemas.xmlsoap.org/ws/2004/09/transfer\" "                      \
    "xmlns:b=\"http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd\" "                 \
    "xmlns:msftwinrm=\"http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd\" "         \
    "xmlns:cim=\"http://schemas.dmtf.org/wbem/wscim/1/common\" "                       \
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""

/* A fresh "uuid:xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" (random).  Caller frees. */
char *wsman_new_uuid(void);

/* Writes the Envelope start, a Header with To, Action (unless NULL, as for
 * Identify), MessageID and RelatesTo (when set), and opens the Body. */
void wsman_envelope_begin(cim_buf *b, const char *action, const char *relates_to);
/* Closes the Body and the Envelope. */
void wsman_envelope_end(cim_buf *b);

#endif
