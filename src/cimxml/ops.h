/* ops.h - the CIM operations of the door: what each one receives, the
 * argument readers they share, and the conversion of CIM-XML values to the
 * provider's typed values. */
#ifndef SMSPROV_CIMXML_OPS_H
#define SMSPROV_CIMXML_OPS_H

#include "cimxml/request.h"
#include "smsprov/provider.h"

/* DSP0200 status codes the door itself raises. */
enum {
    CIM_ERR_FAILED = 1,
    CIM_ERR_INVALID_PARAMETER = 4,
    CIM_ERR_INVALID_CLASS = 5,
    CIM_ERR_NOT_FOUND = 6,
    CIM_ERR_NOT_SUPPORTED = 7,
    CIM_ERR_NO_SUCH_PROPERTY = 12,
    CIM_ERR_TYPE_MISMATCH = 13,
    CIM_ERR_QUERY_LANGUAGE_NOT_SUPPORTED = 14,
    CIM_ERR_METHOD_NOT_AVAILABLE = 16,
    CIM_ERR_METHOD_NOT_FOUND = 17,
};

/* Instances an operation answers with while they are read from the
 * database: the door writes the response around them as a chunked body,
 * calling write for each instance the cursor gives. */
typedef struct cimxml_rows {
    smsprov_cursor *cursor;
    void (*write)(void *data, cim_buf *b, const cim_instance *inst);
    void (*free)(void *data);
    void *data;
} cimxml_rows;

/* Closes the cursor and frees the data. */
void cimxml_rows_clear(cimxml_rows *rows);

/* One operation being served. */
typedef struct cimxml_op {
    smsprov_site *site;
    smsprov_call call; /* namespace and user of the request */
    const cimxml_request *req;
    const char *host;    /* this server's name for INSTANCEPATH */
    cim_buf *out;        /* IRETURNVALUE content, or METHODRESPONSE content */
    bool returns_value;  /* intrinsic: write IRETURNVALUE (maybe empty) */
    cimxml_rows rows;    /* set instead of out by the streaming operations */
    struct cimxml_contexts *contexts; /* pull enumeration contexts; NULL: none served */
    cim_buf *out_params; /* intrinsic output PARAMVALUEs, after IRETURNVALUE */
    cimxml_fault *fault; /* a CIM error, when the operation fails */
} cimxml_op;

typedef bool (*cimxml_op_fn)(cimxml_op *op);

/* Intrinsic operations (ops_*.c). */
bool cimxml_op_get_class(cimxml_op *op);
bool cimxml_op_enumerate_classes(cimxml_op *op);
bool cimxml_op_enumerate_class_names(cimxml_op *op);
bool cimxml_op_get_instance(cimxml_op *op);
bool cimxml_op_enumerate_instances(cimxml_op *op);
bool cimxml_op_enumerate_instance_names(cimxml_op *op);
bool cimxml_op_create_instance(cimxml_op *op);
bool cimxml_op_modify_instance(cimxml_op *op);
bool cimxml_op_delete_instance(cimxml_op *op);
bool cimxml_op_exec_query(cimxml_op *op);
bool cimxml_op_get_property(cimxml_op *op);
bool cimxml_op_set_property(cimxml_op *op);
/* The DSP0200 pull operations (ops_pull.c). */
bool cimxml_op_open_enumerate_instances(cimxml_op *op);
bool cimxml_op_open_enumerate_instance_paths(cimxml_op *op);
bool cimxml_op_open_query_instances(cimxml_op *op);
bool cimxml_op_pull_instances_with_path(cimxml_op *op);
bool cimxml_op_pull_instance_paths(cimxml_op *op);
bool cimxml_op_pull_instances(cimxml_op *op);
bool cimxml_op_close_enumeration(cimxml_op *op);
/* An extrinsic method call (METHODCALL). */
bool cimxml_op_invoke_method(cimxml_op *op);

/* ---- errors (status.c) ------------------------------------------------ */

/* The DSP0200 status code for a provider error raised by an operation:
 * xmlcim_cim_status() refined where DSP0200 names a more specific code for
 * that operation (GetClass of an unknown class is NOT_FOUND; a declared
 * method the provider does not implement is METHOD_NOT_AVAILABLE). */
int cimxml_status_for(const char *operation, bool intrinsic, smsprov_code code);

/* Records a provider error as the operation's CIM error, clears err and
 * returns false. */
bool cimxml_op_fail(cimxml_op *op, smsprov_error *err);

/* ---- arguments (args.c) ------------------------------------------------- */

/* Each returns false with a CIM_ERR_INVALID_PARAMETER fault (naming the
 * parameter and what it should be) when the argument has the wrong form. */
bool cimxml_arg_bool(cimxml_op *op, const char *name, bool fallback, bool *out);
/* A CLASSNAME; *out NULL when absent and not required. */
bool cimxml_arg_classname(cimxml_op *op, const char *name, bool required, const char **out);
bool cimxml_arg_instancename(cimxml_op *op, const char *name, const cim_object_path **out);
/* A VALUE's text (required). */
bool cimxml_arg_text(cimxml_op *op, const char *name, const char **out);
/* PropertyList: a NULL-terminated array of borrowed names, or NULL when
 * absent or null (every property).  The caller frees the array. */
bool cimxml_arg_property_list(cimxml_op *op, const char ***out);

/* The relative path text `Class.Key="v"` of an INSTANCENAME (caller frees). */
char *cimxml_path_text(const cim_object_path *path);

/* ---- which properties to write (filter.c) ------------------------------ */

typedef struct cimxml_filter_entry {
    const cim_class *cls;
    const char **names; /* NULL-terminated */
} cimxml_filter_entry;

/* LocalOnly, DeepInheritance and PropertyList turned into a property list
 * per class of the instances written. */
typedef struct cimxml_filter {
    const cim_class *requested;       /* the class the client named */
    bool local_only;                  /* drop properties inherited into requested */
    bool deep;                        /* keep properties subclasses add */
    const char *const *property_list; /* NULL: no list */
    cimxml_filter_entry *cache;
    size_t cache_count;
} cimxml_filter;

/* The names to write for an instance of cls (NULL-terminated), or NULL for
 * every property.  Valid until cimxml_filter_clear. */
const char *const *cimxml_filter_for(cimxml_filter *f, const cim_class *cls);
void cimxml_filter_clear(cimxml_filter *f);

/* ---- values (convert.c) ------------------------------------------------- */

/* Types a CIM-XML value as the schema declares it (type, array-ness, the
 * class of an embedded object).  what names the property or parameter in
 * messages.  Faults: CIM_ERR_TYPE_MISMATCH when the value does not convert
 * or has the wrong shape; CIM_ERR_INVALID_PARAMETER for an embedded object
 * that is not a readable INSTANCE. */
bool cimxml_convert_data(cimxml_op *op, const cimxml_data *data, const char *what, cim_type type,
                         bool is_array, const char *ref_class, cim_value *out);

/* An INSTANCE as an instance of its class (looked up in the request's
 * namespace).  *given (optional) gets a NULL-terminated array of the names of
 * the properties the INSTANCE carried (borrowed from the class; caller
 * frees the array).  Faults: CIM_ERR_INVALID_CLASS for an unknown class,
 * CIM_ERR_NO_SUCH_PROPERTY, CIM_ERR_TYPE_MISMATCH, CIM_ERR_INVALID_PARAMETER
 * for a property given twice. */
bool cimxml_convert_instance(cimxml_op *op, const cimxml_instance *src, cim_instance **out,
                             const char ***given);

#endif
