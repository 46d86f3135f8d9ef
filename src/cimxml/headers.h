/* headers.h - the DSP0200 request headers, checked against the body. */
#ifndef SMSPROV_CIMXML_HEADERS_H
#define SMSPROV_CIMXML_HEADERS_H

#include "cimxml/cimxml.h"
#include "cimxml/request.h"

/* Decodes %XX escapes (as in CIMObject: root%2Fsms); caller frees. */
char *cimxml_url_decode(const char *text);

/* Before the body is read: CIMOperation must be MethodCall (else 400
 * unsupported-operation), CIMProtocolVersion, when sent, 1.x (else 501
 * unsupported-protocol-version), and no CIMBatch (501
 * multiple-requests-unsupported). */
bool cimxml_check_request_headers(const cimxml_headers *h, cimxml_fault *fault);

/* After: CIMMethod must name the call and CIMObject its namespace
 * (intrinsic) or its class or instance path (extrinsic); else 400
 * header-mismatch. */
bool cimxml_check_headers_match(const cimxml_headers *h, const cimxml_request *req,
                                cimxml_fault *fault);

#endif
