/* response.h - the envelope of a CIM-XML response (DSP0201 MESSAGE,
 * SIMPLERSP) around an IMETHODRESPONSE or METHODRESPONSE. */
#ifndef SMSPROV_CIMXML_RESPONSE_H
#define SMSPROV_CIMXML_RESPONSE_H

#include <stdbool.h>

#include "config/log.h"
#include "smsprov/cim.h"

/* <?xml?><CIM><MESSAGE ID=id PROTOCOLVERSION="1.0"><SIMPLERSP> and
 * <IMETHODRESPONSE NAME=method> (intrinsic) or <METHODRESPONSE NAME=method>. */
void cimxml_response_begin(cim_buf *b, const char *message_id, bool intrinsic, const char *method);
/* Closes what cimxml_response_begin opened. */
void cimxml_response_end(cim_buf *b, bool intrinsic);
/* <ERROR CODE=code DESCRIPTION=description/>, or with an INSTANCE inside
 * (DSP0201 allows INSTANCE* in ERROR) when status is not NULL: the
 * SMS_ExtendedStatus of a provider error. */
void cimxml_response_error(cim_buf *b, int code, const char *description,
                           const cim_instance *status);

struct cimxml_rows;
struct cimxml_answer;
/* A 200 answer to an intrinsic operation whose IRETURNVALUE is the
 * instances rows gives, written as they are read (stream.c); takes rows. */
void cimxml_stream_answer(const char *message_id, const char *method, struct cimxml_rows *rows,
                          smsprov_log *log, struct cimxml_answer *out);

/* The Content-Type of every CIM-XML answer. */
#define CIMXML_XML_CONTENT_TYPE "application/xml; charset=\"utf-8\""

#endif
