/* response.h - the envelope of a CIM-XML response (DSP0201 MESSAGE,
 * SIMPLERSP) around an IMETHODRESPONSE or METHODRESPONSE. */
#ifndef SMSPROV_CIMXML_RESPONSE_H
#define SMSPROV_CIMXML_RESPONSE_H

#include <stdbool.h>

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

#endif
