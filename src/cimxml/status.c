/* status.c - provider errors as DSP0200 status codes. */
#include <string.h>

#include "cimxml/ops.h"
#include "xmlcim/xmlcim.h"

int cimxml_status_for(const char *operation, bool intrinsic, smsprov_code code)
{
    /* DSP0200 GetClass: a class that does not exist is NOT_FOUND (other
     * operations say INVALID_CLASS for it). */
    if (intrinsic && operation && cim_strcasecmp(operation, "GetClass") == 0 &&
        (code == SMSPROV_E_INVALID_CLASS || code == SMSPROV_E_NOT_FOUND))
        return CIM_ERR_NOT_FOUND;
    if (!intrinsic) {
        /* The method exists but this server cannot run it (SMSPROV_E_NOT_SUPPORTED). */
        if (code == SMSPROV_E_NOT_SUPPORTED)
            return CIM_ERR_METHOD_NOT_AVAILABLE;
        if (code == SMSPROV_E_INVALID_METHOD)
            return CIM_ERR_METHOD_NOT_FOUND;
    }
    return xmlcim_cim_status(code);
}

bool cimxml_op_fail(cimxml_op *op, smsprov_error *err)
{
    int status = cimxml_status_for(op->req->method, op->req->intrinsic, err->code);
    cimxml_fault_set_cim(op->fault, status ? status : CIM_ERR_FAILED, "%s",
                         err->description ? err->description
                                          : "The provider failed without saying why.");
    smsprov_error_move(&op->fault->error, err);
    return false;
}
