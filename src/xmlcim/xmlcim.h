/*
 * xmlcim/xmlcim.h - the CIM-XML (DSP0201) writer both HTTP doors share:
 * WS-Management answers GetClass with a CIM-XML CLASS, and the CIM-XML door
 * answers with CLASS, INSTANCE, INSTANCENAME and VALUE elements.  Also the
 * mapping from WBEM codes to CIM status codes, which every door reports.
 *
 * Writers append to a cim_buf; text is always escaped and characters XML 1.0
 * cannot carry (C0 controls other than tab, LF, CR) are written as spaces.
 */
#ifndef SMSPROV_XMLCIM_H
#define SMSPROV_XMLCIM_H

#include <stdbool.h>

#include "smsprov/cim.h"

/* Appends text escaped for XML content and attribute values (& < > " '). */
void xmlcim_escape(cim_buf *b, const char *text);
void xmlcim_escape_n(cim_buf *b, const char *text, size_t len);

/* The DSP0200 CIM status code of a WBEM code: 1 FAILED, 2 ACCESS_DENIED,
 * 3 INVALID_NAMESPACE, 4 INVALID_PARAMETER, 5 INVALID_CLASS, 6 NOT_FOUND,
 * 7 NOT_SUPPORTED, 11 ALREADY_EXISTS, 12 NO_SUCH_PROPERTY, 13 TYPE_MISMATCH,
 * 14 QUERY_LANGUAGE_NOT_SUPPORTED, 15 INVALID_QUERY, 17 METHOD_NOT_FOUND;
 * 0 for SMSPROV_OK. */
int xmlcim_cim_status(smsprov_code code);
/* "CIM_ERR_NOT_FOUND" for 6, ...; "CIM_ERR_FAILED" for unknown codes. */
const char *xmlcim_cim_status_name(int cim_status);

/* The SMS_ExtendedStatus instance describing a provider error (Description,
 * Operation, ParameterInfo, ObjectInfo, ProviderName, File, Line,
 * ErrorCode, StatusCode), as both doors attach it to their error answers.
 * NULL when err holds no error or the namespace has no SMS_ExtendedStatus.
 * Caller frees with cim_instance_free. */
cim_instance *xmlcim_extended_status(const cim_schema *schema, const char *namespace_path,
                                     const smsprov_error *err);

/* The TYPE attribute value of a CIM type: "uint32", "datetime", "char16"...
 * An embedded object is a "string" (with an EmbeddedInstance qualifier);
 * a reference has no TYPE (its element is *.REFERENCE). */
const char *xmlcim_type_name(cim_type type);

/* A scalar as CIM-XML VALUE text (unescaped): decimal numbers, "true" or
 * "false", the DMTF datetime string, the character of a char16.  NULL for
 * null values, objects and arrays.  Caller frees. */
char *xmlcim_scalar_text(const cim_value *v);

typedef struct xmlcim_class_options {
    bool local_only;         /* only members the class itself declares */
    bool include_qualifiers; /* else only key, in/out and embedding qualifiers */
    bool include_class_origin;
    bool include_derivation; /* DERIVATION="Super,SuperSuper" (MI client style) */
} xmlcim_class_options;

/* <CLASS NAME SUPERCLASS [DERIVATION]> with QUALIFIER, PROPERTY,
 * PROPERTY.ARRAY, PROPERTY.REFERENCE (defaults as VALUE) and METHOD with
 * PARAMETER, PARAMETER.ARRAY, PARAMETER.REFERENCE, PARAMETER.REFARRAY.
 * Inherited members carry PROPAGATED="true". */
void xmlcim_write_class(cim_buf *b, const cim_class *cls, const xmlcim_class_options *opts);

/* <VALUE>, <VALUE.ARRAY>, or <VALUE.REFERENCE> for a non-null value.
 * Embedded instances are VALUEs holding an escaped INSTANCE. */
void xmlcim_write_value(cim_buf *b, const cim_value *v);

typedef struct xmlcim_instance_options {
    bool include_qualifiers;
    bool include_class_origin;
    const char *const *property_list; /* NULL-terminated; NULL: every property */
} xmlcim_instance_options;

/* <INSTANCE CLASSNAME> with one PROPERTY, PROPERTY.ARRAY or
 * PROPERTY.REFERENCE per property (no VALUE for a null). */
void xmlcim_write_instance(cim_buf *b, const cim_instance *inst,
                           const xmlcim_instance_options *opts);

/* <INSTANCENAME CLASSNAME> with a KEYBINDING per key property. */
void xmlcim_write_instancename(cim_buf *b, const cim_instance *inst);

#endif
