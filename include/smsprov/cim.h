/*
 * smsprov/cim.h - the CIM model: types, values, DATETIME, classes,
 * instances, the schema (class registry) and object paths.
 *
 * Ownership: a function that returns a pointer the caller must free says so;
 * every struct with owned members has a *_clear or *_free function.
 * Names (classes, properties, qualifiers, methods) compare case-insensitively,
 * as in WMI, but keep the spelling they were declared with.
 */
#ifndef SMSPROV_CIM_H
#define SMSPROV_CIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smsprov/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Types                                                                    */
/* ------------------------------------------------------------------------ */

/* Numbered as WMI's CIMTYPE so the COM door maps them without a table. */
typedef enum cim_type {
    CIM_TYPE_INVALID = 0,
    CIM_TYPE_SINT16 = 2,
    CIM_TYPE_SINT32 = 3,
    CIM_TYPE_REAL32 = 4,
    CIM_TYPE_REAL64 = 5,
    CIM_TYPE_STRING = 8,
    CIM_TYPE_BOOLEAN = 11,
    CIM_TYPE_OBJECT = 13, /* embedded instance */
    CIM_TYPE_SINT8 = 16,
    CIM_TYPE_UINT8 = 17,
    CIM_TYPE_UINT16 = 18,
    CIM_TYPE_UINT32 = 19,
    CIM_TYPE_SINT64 = 20,
    CIM_TYPE_UINT64 = 21,
    CIM_TYPE_DATETIME = 101,
    CIM_TYPE_REFERENCE = 102,
    CIM_TYPE_CHAR16 = 103,
} cim_type;

/* MOF spelling: "uint32", "string", "datetime", "object" (embedded), "ref". */
const char *cim_type_name(cim_type type);
/* Parses a MOF type keyword, case-insensitively; false if it is none. */
bool cim_type_from_name(const char *name, cim_type *out);
bool cim_type_is_signed(cim_type type);   /* sint8..sint64 */
bool cim_type_is_unsigned(cim_type type); /* uint8..uint64 (not char16) */
bool cim_type_is_integer(cim_type type);  /* signed or unsigned */
bool cim_type_is_real(cim_type type);
bool cim_type_is_textual(cim_type type);  /* string, datetime, reference */

/* ------------------------------------------------------------------------ */
/* Values                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct cim_instance cim_instance;
typedef struct cim_class cim_class;
typedef struct cim_value cim_value;

/* A typed value, possibly null, possibly an array.  Array items are scalar
 * values of the same type and are never arrays themselves; an array item may
 * be null only for embedded objects.  Strings are UTF-8 and owned. */
struct cim_value {
    cim_type type;
    bool is_array;
    bool is_null;
    union {
        int64_t sint;          /* sint8..sint64 */
        uint64_t uint;         /* uint8..uint64, char16 (a UTF-16 unit) */
        double real;           /* real32, real64 */
        bool boolean;
        char *string;          /* string, datetime, reference */
        cim_instance *object;  /* object */
        struct {
            cim_value *items;
            size_t count;
        } array;
    } u;
};

/* Constructors return values that own copies of their arguments.
 * Allocation failure aborts the process (see cim_xalloc below). */
cim_value cim_value_null(cim_type type, bool is_array);
cim_value cim_value_sint(cim_type type, int64_t v);
cim_value cim_value_uint(cim_type type, uint64_t v);
cim_value cim_value_real(cim_type type, double v);
cim_value cim_value_bool(bool v);
cim_value cim_value_string(const char *s);            /* NULL gives null */
cim_value cim_value_datetime(const char *s);          /* not validated */
cim_value cim_value_reference(const char *path);
cim_value cim_value_object(cim_instance *take);       /* takes ownership */
cim_value cim_value_array(cim_type type);             /* empty, not null */

/* Appends a copy of item (a scalar of the array's type) to an array value. */
void cim_value_array_append(cim_value *array, const cim_value *item);
/* Appends and takes ownership of item's contents (item is left null). */
void cim_value_array_append_take(cim_value *array, cim_value *item);

void cim_value_copy(cim_value *dst, const cim_value *src); /* deep; dst is overwritten */
void cim_value_clear(cim_value *v);                        /* frees; leaves a null of the same type */
void cim_value_move(cim_value *dst, cim_value *src);       /* dst cleared first; src left null */
bool cim_value_equal(const cim_value *a, const cim_value *b); /* type, nullness and content */

/* Converts src to (type, is_array), checking integer ranges, DATETIME syntax
 * and booleans.  Strings convert to numbers ("42", "0x2A", "-1", "1.5"),
 * to booleans ("true"/"false"/"1"/"0", any case) and to datetimes.  Numbers
 * convert to other numeric types when in range and to strings.  Returns 0,
 * or SMSPROV_E_TYPE_MISMATCH with a sentence in *err naming the value and
 * the target type.  Null converts to null.  Also: integers 0/1 to boolean,
 * integers 0-65535 and one-character strings to char16, strings to
 * references (validated as object paths); real32 results are rounded to
 * single precision; objects are copied as they are (the caller checks the
 * class).  *out is overwritten (not freed first) on success and left
 * untouched on error. */
smsprov_code cim_value_convert(const cim_value *src, cim_type type, bool is_array,
                               cim_value *out, smsprov_error *err);

/* Range of an integer CIM type, e.g. uint8 -> [0, 255]. */
bool cim_type_integer_range(cim_type type, int64_t *min, uint64_t *max);

/* A value as MOF writes it: 42, "text" (escaped), TRUE, {1, 2}, NULL,
 * embedded instances as `instance of Class { ... }`.  Caller frees. */
char *cim_value_to_mof(const cim_value *v);
/* A scalar as plain text: numbers, TRUE/FALSE, strings unquoted.  For arrays,
 * items joined with ", ".  NULL for a null value.  Caller frees. */
char *cim_value_to_text(const cim_value *v);

/* ------------------------------------------------------------------------ */
/* DATETIME                                                                 */
/* ------------------------------------------------------------------------ */

#define CIM_DATETIME_LEN 25 /* yyyymmddHHMMSS.mmmmmmsUUU */

/* A parsed CIM DATETIME.  A field written with asterisks is -1.
 * Timestamp: yyyymmddHHMMSS.mmmmmmsUUU (sign + or -, UUU minutes from UTC).
 * Interval:  ddddddddHHMMSS.mmmmmm:000 */
typedef struct cim_datetime {
    bool is_interval;
    int year, month, day;     /* timestamp */
    int64_t days;             /* interval: 0..99999999 */
    int hour, minute, second;
    int microseconds;         /* -1 when all six digits are asterisks */
    int utc_offset;           /* minutes, signed; timestamp only */
    bool utc_offset_unknown;  /* "+***" */
    /* Trailing microsecond digits written as asterisks (1..5, e.g. 3 for
     * "123***"; those digits count as 0 in microseconds); 0 otherwise. */
    int microsecond_stars;
} cim_datetime;

/* Parses the 25-character form.  Asterisks are accepted for whole fields and,
 * for microseconds, for trailing digits.  Returns false with a reason. */
bool cim_datetime_parse(const char *text, cim_datetime *out, const char **why);
/* Writes the 25-character form into buf (at least CIM_DATETIME_LEN + 1). */
void cim_datetime_format(const cim_datetime *dt, char *buf);
/* Compares two timestamps (converted to UTC when both offsets are known) or
 * two intervals.  Returns <0, 0, >0; *comparable is false when the two cannot
 * be ordered (timestamp vs interval, or asterisks in a compared field). */
int cim_datetime_compare(const cim_datetime *a, const cim_datetime *b, bool *comparable);
/* The current time as a UTC timestamp with offset +000. */
void cim_datetime_now(cim_datetime *out);
/* Converts to and from Unix time in microseconds (timestamps only).
 * to_unix_us is false for an interval or when any field has asterisks; an
 * unknown offset ("+***") counts as UTC.  from_unix_us clamps to the years
 * 0000-9999 and gives offset +000. */
bool cim_datetime_to_unix_us(const cim_datetime *dt, int64_t *out);
void cim_datetime_from_unix_us(int64_t us, cim_datetime *out);

/* Query semantics of DATETIME text (the WQL evaluator and the store's SQL
 * functions share them).  text_compare: as cim_datetime_compare, false in
 * *comparable also when either does not parse.  text_order: the total order
 * of ORDER BY: timestamps by instant (an unknown offset counts as UTC), then
 * intervals by length, then values with asterisks (or that do not parse) by
 * their text compared as cim_nocase_compare; -1, 0 or 1.  text_rank: where
 * a value falls in that order (group 0, 1 or 2, and the instant or length in
 * microseconds for groups 0 and 1). */
typedef struct cim_datetime_rank {
    int group;
    int64_t key;
} cim_datetime_rank;
int cim_datetime_text_compare(const char *a, const char *b, bool *comparable);
int cim_datetime_text_order(const char *a, const char *b);
cim_datetime_rank cim_datetime_text_rank(const char *text);

/* ------------------------------------------------------------------------ */
/* Qualifiers, classes, methods                                             */
/* ------------------------------------------------------------------------ */

/* Qualifier flavors, as MOF spells them. */
enum {
    CIM_FLAVOR_TOSUBCLASS = 1u << 0,         /* default */
    CIM_FLAVOR_RESTRICTED = 1u << 1,
    CIM_FLAVOR_TOINSTANCE = 1u << 2,
    CIM_FLAVOR_DISABLEOVERRIDE = 1u << 3,
    CIM_FLAVOR_AMENDED = 1u << 4,
    CIM_FLAVOR_TRANSLATABLE = 1u << 5,
};

typedef struct cim_qualifier {
    char *name;
    cim_value value; /* boolean TRUE for a bare qualifier such as [key] */
    unsigned flavor;
} cim_qualifier;

typedef struct cim_qualifier_list {
    cim_qualifier *items;
    size_t count;
} cim_qualifier_list;

/* Finds a qualifier by name (case-insensitive); NULL if absent. */
const cim_qualifier *cim_qualifier_find(const cim_qualifier_list *list, const char *name);
/* True when the qualifier is present and not explicitly FALSE. */
bool cim_qualifier_is_true(const cim_qualifier_list *list, const char *name);
/* Adds or replaces a qualifier; value is copied. */
void cim_qualifier_list_set(cim_qualifier_list *list, const char *name, const cim_value *value,
                            unsigned flavor);
void cim_qualifier_list_copy(cim_qualifier_list *dst, const cim_qualifier_list *src);
void cim_qualifier_list_clear(cim_qualifier_list *list);

/* Property flags, derived from qualifiers by cim_class_finish(). */
enum {
    CIM_PROP_KEY = 1u << 0,      /* key */
    CIM_PROP_READ_ONLY = 1u << 1, /* read without write: the client may not set it */
    CIM_PROP_LAZY = 1u << 2,     /* lazy: null in enumerations and queries */
    CIM_PROP_LARGE = 1u << 3,    /* large */
    CIM_PROP_NOT_NULL = 1u << 4, /* not_null */
    CIM_PROP_BITS = 1u << 5,     /* bits */
    CIM_PROP_RANGE = 1u << 6,    /* Range("lo-hi"): range_low/range_high valid */
    CIM_PROP_MAX = 1u << 7,      /* max(n): array holds at most max_count items */
    CIM_PROP_SIZE_LIMIT = 1u << 8, /* SizeLimit("n"): a string of at most size_limit characters */
};

typedef struct cim_property {
    char *name;
    cim_type type;
    bool is_array;
    size_t array_size;      /* fixed array size from `T name[N]`; 0 = variable */
    char *ref_class;        /* embedded object class or reference class; NULL otherwise */
    cim_value default_value; /* is_null when no default is declared */
    cim_qualifier_list qualifiers;
    char *origin_class;     /* the class that declared the property */
    unsigned flags;         /* CIM_PROP_* */
    int64_t range_low, range_high;
    size_t max_count;
    size_t size_limit;      /* characters (Unicode code points), with CIM_PROP_SIZE_LIMIT */
} cim_property;

typedef struct cim_parameter {
    char *name;
    cim_type type;
    bool is_array;
    size_t array_size;
    char *ref_class;
    cim_qualifier_list qualifiers;
    bool in, out, optional; /* from [in], [out], [optional] */
} cim_parameter;

typedef struct cim_method {
    char *name;
    cim_type return_type;   /* CIM_TYPE_INVALID for void */
    cim_parameter *params;
    size_t param_count;
    cim_qualifier_list qualifiers;
    char *origin_class;
    bool is_static;         /* [static] */
    /* Parameter classes built by cim_class_finish(): in_class holds the [in]
     * parameters, out_class holds ReturnValue and the [out] parameters, in
     * declaration order.  Named "__PARAMETERS" as in WMI. */
    cim_class *in_class;
    cim_class *out_class;
} cim_method;

/* Class flags, derived from qualifiers by cim_class_finish(). */
enum {
    CIM_CLASS_ABSTRACT = 1u << 0,
    CIM_CLASS_EMBEDDED = 1u << 1,  /* Embedded: only inside another instance */
    CIM_CLASS_READ_ONLY = 1u << 2, /* class qualifier Read: no create/modify/delete */
    CIM_CLASS_SECURED = 1u << 3,
    CIM_CLASS_SYSTEM = 1u << 4,    /* name starts with "__" */
    CIM_CLASS_PARAMETERS = 1u << 5, /* a method's __PARAMETERS class */
};

struct cim_class {
    char *name;
    char *superclass_name;        /* NULL for a root class */
    const cim_class *superclass;  /* resolved by the schema; NULL for a root class */
    char *namespace_path;         /* "root\\sms\\site_LAB" */
    cim_qualifier_list qualifiers;
    /* Every property, inherited ones first in the order the ancestors
     * declared them, then this class's own, in declaration order.  A
     * redeclared inherited property replaces the inherited one in place. */
    cim_property *properties;
    size_t property_count;
    cim_method *methods;          /* inherited first, as for properties */
    size_t method_count;
    unsigned flags;               /* CIM_CLASS_* */
    size_t key_count;             /* number of CIM_PROP_KEY properties */
};

/* Building a class: new, then cim_class_inherit() from the superclass's
 * registered definition (copies its qualifiers that propagate, properties and
 * methods), then add the class's own members, then finish, then
 * cim_schema_add_class().  Qualifiers propagate unless Restricted; Abstract
 * never does.  Adding a property or method the superclass already has
 * redeclares it in place: it keeps its position, origin class and inherited
 * qualifiers, and (same type) its default, until the caller overrides them.
 * Returned pointers belong to the class and stay valid until the next add on
 * the same class (or method, for parameters). */
cim_class *cim_class_new(const char *name, const char *superclass_name, const char *namespace_path);
void cim_class_inherit(cim_class *cls, const cim_class *superclass);
cim_property *cim_class_add_property(cim_class *cls, const char *name, cim_type type, bool is_array);
cim_method *cim_class_add_method(cim_class *cls, const char *name, cim_type return_type);
cim_parameter *cim_method_add_param(cim_method *m, const char *name, cim_type type, bool is_array);
/* Derives flags (CIM_PROP_*, CIM_CLASS_*), key_count, each parameter's
 * in/out/optional (from its qualifiers, or'ed with what the caller set),
 * is_static, the ref_class of an `object` property from EmbeddedInstance("X"),
 * and the method parameter classes.  May be called again after changes.
 * Returns 0, or SMSPROV_E_INVALID_CLASS when a qualifier value is malformed
 * (e.g. Range("x"), max on a scalar), a key is an array or embedded object,
 * a parameter has neither [in] nor [out], or a method repeats a parameter. */
smsprov_code cim_class_finish(cim_class *cls, smsprov_error *err);
void cim_class_free(cim_class *cls);

/* Lookups (case-insensitive).  Index lookups return -1 when absent. */
ptrdiff_t cim_class_property_index(const cim_class *cls, const char *name);
const cim_property *cim_class_find_property(const cim_class *cls, const char *name);
const cim_method *cim_class_find_method(const cim_class *cls, const char *name);
const cim_parameter *cim_method_find_param(const cim_method *m, const char *name);
/* True when cls is the named class or derives from it. */
bool cim_class_is_a(const cim_class *cls, const char *ancestor_name);

/* The class as MOF text, as `smsprov class NAME` prints it: class
 * qualifiers, `class X : Y {`, every property with its qualifiers, type and
 * default, and every method with its parameters.  With local_only, only the
 * members the class itself declares.  Caller frees. */
char *cim_class_to_mof(const cim_class *cls, bool local_only);

/* ------------------------------------------------------------------------ */
/* Instances                                                                */
/* ------------------------------------------------------------------------ */

/* An instance of a class: one value per class property, in class order.
 * The class must outlive the instance. */
struct cim_instance {
    const cim_class *cls;
    cim_value *values; /* property_count values */
};

/* All properties null (typed as the class declares them). */
cim_instance *cim_instance_new(const cim_class *cls);
/* As SpawnInstance_: every property takes its declared default. */
cim_instance *cim_instance_spawn(const cim_class *cls);
cim_instance *cim_instance_clone(const cim_instance *inst);
void cim_instance_free(cim_instance *inst);
bool cim_instance_equal(const cim_instance *a, const cim_instance *b);

/* NULL when the class has no such property. */
const cim_value *cim_instance_get(const cim_instance *inst, const char *name);
cim_value *cim_instance_get_mut(cim_instance *inst, const char *name);
/* Moves v, already of the property's type, into the property name; v is
 * cleared either way, so a value for a property the class lacks is dropped
 * (server code filling properties that only some classes of a family have). */
void cim_instance_take_value(cim_instance *inst, const char *name, cim_value v);
/* Sets a copy of v, converted to the property's type with cim_value_convert.
 * SMSPROV_E_NOT_FOUND for an unknown property (the sentence names it and the
 * class), SMSPROV_E_TYPE_MISMATCH when the value does not convert. */
smsprov_code cim_instance_set(cim_instance *inst, const char *name, const cim_value *v,
                              smsprov_error *err);
/* Convenience setters; no conversion errors expected for matching types. */
smsprov_code cim_instance_set_string(cim_instance *inst, const char *name, const char *s,
                                     smsprov_error *err);
smsprov_code cim_instance_set_uint(cim_instance *inst, const char *name, uint64_t v,
                                   smsprov_error *err);
smsprov_code cim_instance_set_sint(cim_instance *inst, const char *name, int64_t v,
                                   smsprov_error *err);
smsprov_code cim_instance_set_bool(cim_instance *inst, const char *name, bool v,
                                   smsprov_error *err);

/* The relative path of the instance from its key properties:
 * `SMS_BootImagePackage.PackageID="LAB00001"`, or `Class=@` when the class
 * has no key.  Caller frees. */
char *cim_instance_relpath(const cim_instance *inst);

/* As MOF: `instance of Class\n{\n    Prop = value;\n};` listing non-null
 * properties.  Caller frees. */
char *cim_instance_to_mof(const cim_instance *inst);

/* ------------------------------------------------------------------------ */
/* Schema: the class registry                                               */
/* ------------------------------------------------------------------------ */

typedef struct cim_schema cim_schema;

cim_schema *cim_schema_new(void);
void cim_schema_free(cim_schema *schema);

/* Adds a finished class.  Its superclass must already be in the same
 * namespace, and cls must have been built with cim_class_inherit() from that
 * registered superclass (SMSPROV_E_INVALID_CLASS otherwise, also for a name
 * that is not an identifier); a class without a namespace gives
 * SMSPROV_E_INVALID_NAMESPACE; a second class of the same name gives
 * SMSPROV_E_ALREADY_EXISTS.  Takes ownership of cls on success only.
 * Namespaces are recorded without a host prefix and with '\' separators. */
smsprov_code cim_schema_add_class(cim_schema *schema, cim_class *cls, smsprov_error *err);

/* Namespace paths compare case-insensitively, with '/' and '\' alike and any
 * leading "\\host\" or "//host/" ignored. */
bool cim_namespace_equal(const char *a, const char *b);
/* The canonical spelling of a namespace path: host prefix and leading or
 * trailing separators removed, '/' written as '\', case kept
 * ("\\.\root/sms\" gives "root\sms").  NULL gives "".  Caller frees. */
char *cim_namespace_normalize(const char *path);
const cim_class *cim_schema_find_class(const cim_schema *schema, const char *namespace_path,
                                       const char *class_name);
bool cim_schema_has_namespace(const cim_schema *schema, const char *namespace_path);

/* Classes of a namespace, in the order they were added.  With
 * superclass_name NULL: all of them (deep) or the root classes (shallow).
 * Otherwise the subclasses of that class, all generations (deep) or direct
 * children only (shallow).  Returns a malloc'd array (caller frees the array,
 * not the classes); *count gets its length. */
const cim_class **cim_schema_list_classes(const cim_schema *schema, const char *namespace_path,
                                          const char *superclass_name, bool deep, size_t *count);

/* The concrete (non-abstract) classes that are cls or derive from it, for
 * deep enumeration.  Same ownership as cim_schema_list_classes. */
const cim_class **cim_schema_concrete_classes(const cim_schema *schema, const cim_class *cls,
                                              size_t *count);

/* Namespaces known to the schema, in the order first seen. */
size_t cim_schema_namespace_count(const cim_schema *schema);
const char *cim_schema_namespace_at(const cim_schema *schema, size_t index);

/* Seed instances from MOF `instance of` declarations, in source order.
 * The schema owns them. */
void cim_schema_add_seed(cim_schema *schema, const char *namespace_path, cim_instance *take);
size_t cim_schema_seed_count(const cim_schema *schema);
const cim_instance *cim_schema_seed_at(const cim_schema *schema, size_t index,
                                       const char **namespace_path);

/* ------------------------------------------------------------------------ */
/* Object paths                                                             */
/* ------------------------------------------------------------------------ */

typedef struct cim_keybinding {
    char *name;      /* NULL for the single unnamed key of `Class="v"` */
    cim_value value; /* string, sint64, uint64, real64, boolean or reference as written */
} cim_keybinding;

typedef struct cim_object_path {
    char *host;           /* "server" from a leading \\server\ ; NULL if absent */
    char *namespace_path; /* "root\\sms\\site_LAB" ; NULL if absent */
    char *class_name;
    cim_keybinding *keys;
    size_t key_count;
    bool singleton;       /* Class=@ */
} cim_object_path;

/* Parses every form a client writes:
 *   Class                     (a class path, no keys)
 *   Class.Key="v"  Class.Key='v'  Class.Key=5  Class.Key=-5  Class.Key=TRUE
 *   Class.K1="a",K2=7         Class=@         Class="v" (single unnamed key)
 *   \\host\root\sms\site_LAB:Class.Key="v"    root\sms\site_LAB:Class...
 * Names keep the client's case; escaped quotes and backslashes (\" \' \\)
 * inside quoted values are unescaped.  Returns 0 or
 * SMSPROV_E_INVALID_OBJECT_PATH with a sentence giving the position and what
 * was expected.  Also accepted: //host/ns/...:, reals and 0x hex as key
 * values, blanks around '=' and ','.  Namespaces come back with '\'
 * separators.  *out is overwritten on success, untouched on error. */
smsprov_code cim_object_path_parse(const char *text, cim_object_path *out, smsprov_error *err);
/* Canonical relative form `Class.Key="v",Key2=5` (keys in the given order);
 * with the namespace prefix when with_namespace and one is set.  Caller frees. */
char *cim_object_path_format(const cim_object_path *path, bool with_namespace);
/* The key of that name (case-insensitive); a path with one unnamed key
 * (`Class="v"`) gives that key for any name.  NULL when absent. */
const cim_keybinding *cim_object_path_find_key(const cim_object_path *path, const char *name);
void cim_object_path_clear(cim_object_path *path);

/* ------------------------------------------------------------------------ */
/* JSON (the store's encoding of arrays and embedded objects, and --json)   */
/* ------------------------------------------------------------------------ */

/* Encodes a value as JSON.  Scalars: integers written exactly in decimal
 * (our own decoder reads all 64 bits back), strings (datetime and reference
 * too), true/false, null.  Arrays: JSON arrays.  Embedded objects:
 * {"__CLASS":"Name", "Prop":value, ...} listing non-null properties.
 * Reals use the shortest form that reads back to the same double.
 * Caller frees. */
char *cim_value_to_json(const cim_value *v);
/* An instance as a JSON object, with "__CLASS" first.  Caller frees. */
char *cim_instance_to_json(const cim_instance *inst);
/* Decodes JSON written by cim_value_to_json into a value of the given type.
 * Embedded objects are resolved by "__CLASS" in schema/namespace and must be
 * the expected class or derive from it; properties the JSON leaves out are
 * null.  Returns 0 or SMSPROV_E_TYPE_MISMATCH (malformed JSON, wrong shape,
 * unknown or repeated property, value out of range) / SMSPROV_E_INVALID_CLASS
 * (unknown "__CLASS") with a sentence.  *out is untouched on error. */
smsprov_code cim_value_from_json(const char *json, cim_type type, bool is_array,
                                 const char *ref_class, const cim_schema *schema,
                                 const char *namespace_path, cim_value *out, smsprov_error *err);

/* An OData request body (a JSON object) as an instance of cls: members
 * starting with '@' or "__" are skipped, embedded objects take their class
 * from "@odata.type" ("#AdminService.Name") or "__CLASS" or else the
 * declared class, DATETIME may be ISO 8601 ("2024-08-30T20:55:06Z").
 * *given, when not NULL, gets the names of the properties the body set
 * (NULL-terminated, malloc'd with its strings).  Errors as
 * cim_value_from_json, and SMSPROV_E_TYPE_MISMATCH for a body that is not
 * an object. */
smsprov_code cim_instance_from_odata_json(const char *json, const cim_class *cls,
                                         const cim_schema *schema, const char *namespace_path,
                                         cim_instance **out, char ***given, smsprov_error *err);

/* ------------------------------------------------------------------------ */
/* Small helpers shared by every module                                     */
/* ------------------------------------------------------------------------ */

/* Allocation that aborts with a message on failure: the provider cannot do
 * anything useful without memory, and checking every small allocation would
 * bury the logic. */
void *cim_xmalloc(size_t size);
void *cim_xcalloc(size_t count, size_t size);
void *cim_xrealloc(void *p, size_t size);
char *cim_xstrdup(const char *s);   /* NULL gives NULL */
char *cim_xasprintf(const char *fmt, ...)
    SMSPROV_PRINTF(1, 2)
    ;
int cim_strcasecmp(const char *a, const char *b); /* ASCII case folding */
/* Query semantics of text (text_match.c).  nocase_compare folds ASCII A-Z
 * to a-z and compares bytes, the shorter first on a tie (SQLite's NOCASE).
 * like_match is WQL LIKE: % any run, _ one UTF-8 character, [abc] [^abc]
 * [a-z] sets, ASCII letters case-insensitive, no escape character; the
 * pattern must pass like_pattern_valid, which otherwise gives the byte
 * offset of the problem and a phrase.  ascii_upper/lower map ASCII letters
 * only, as SQLite's upper() and lower() (caller frees). */
int cim_nocase_compare(const char *a, const char *b);
bool cim_like_pattern_valid(const char *pattern, size_t *bad_offset, const char **why);
bool cim_like_match(const char *value, const char *pattern);
char *cim_ascii_upper(const char *s);
char *cim_ascii_lower(const char *s);

/* A growable string buffer. */
typedef struct cim_buf {
    char *data;
    size_t len, cap;
} cim_buf;
void cim_buf_append(cim_buf *b, const char *s);
void cim_buf_append_n(cim_buf *b, const char *s, size_t n);
void cim_buf_printf(cim_buf *b, const char *fmt, ...)
    SMSPROV_PRINTF(2, 3)
    ;
char *cim_buf_take(cim_buf *b); /* returns the string ("" if empty); b is reset */
void cim_buf_clear(cim_buf *b);

#ifdef __cplusplus
}
#endif

#endif
