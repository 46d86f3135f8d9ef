/*
 * rbac.h - role-based administration: who may see and do what.
 *
 * A caller (smsprov_call.user) is an administrative user (an SMS_Admin row
 * whose LogonName is that name) holding (role, scope) pairs.  A role grants
 * operation bits per secured object type; a scope is a set of objects
 * (SMS_SecuredCategoryMembership rows).  The caller may do op on object O
 * when one pair's role grants op on O's type and the pair's scope is All
 * (SMS00ALL) or holds O.  Reads are filtered in the store (a semi-join on
 * the membership table), never after.  The rules and the built-in roles'
 * grants are in README.md, "Role-based administration".
 *
 * call->user NULL (or no call) is the site itself: an in-process caller
 * holding every right (the site's own upkeep and tests).  Every door passes
 * the name it authenticated.
 */
#ifndef SMSPROV_SMS_RBAC_H
#define SMSPROV_SMS_RBAC_H

#include "sms/site.h"

/* GrantedOperations bits. */
#define SMS_OP_READ 0x1u
#define SMS_OP_MODIFY 0x2u
#define SMS_OP_DELETE 0x4u
#define SMS_OP_COPY_TO_DP 0x8u
#define SMS_OP_SET_SCOPE 0x10u
#define SMS_OP_CREATE 0x400u
#define SMS_OP_MOVE 0x2000u
#define SMS_OP_MODIFY_FOLDER 0x20000u
#define SMS_OP_RUN_REPORT 0x10000000u

/* The object type of scopes, roles and administrative users. */
#define SMS_TYPE_SECURITY 29u

#define SMS_SCOPE_DEFAULT "SMS00UNA"
#define SMS_SCOPE_ALL "SMS00ALL"
#define SMS_ROLE_FULL_ADMIN "SMS0001R"

/* A secured class: its ObjectTypeID and the key a membership names.  The
 * table (rbac_types.c) has one row per class; a new secured class is one
 * row there.  scoped: its instances are in scopes (else only the role
 * counts, type-wide). */
typedef struct sms_secured_type {
    const char *class_name;
    uint32_t object_type;
    const char *key_property;
    bool scoped;
} sms_secured_type;

/* The row for cls itself (not its ancestors), or NULL. */
const sms_secured_type *sms_secured_type_of(const cim_class *cls);
/* The scoped row with that ObjectTypeID, or NULL. */
const sms_secured_type *sms_secured_type_by_id(uint32_t object_type);
/* "Read", "Modify", ... for a sentence. */
const char *sms_op_name(uint32_t op);

typedef struct sms_grant {
    char *role;
    char *scope;
} sms_grant;

typedef struct sms_role_op {
    char *role;
    uint32_t object_type;
    uint32_t ops;
} sms_role_op;

/* Who is asking and what they hold. */
typedef struct sms_caller {
    bool site;             /* the site itself: every right */
    const char *user;      /* as the door gave it ("" when none) */
    bool admin;            /* has an SMS_Admin row */
    sms_grant *grants;     /* scope pairs (CategoryTypeID 29) */
    size_t grant_count;
    sms_role_op *ops;      /* of the roles in grants */
    size_t op_count;
} sms_caller;

/* Loads the caller's pairs inside txn (a read or write transaction).
 * Errors: the store's. */
smsprov_code sms_caller_load(smsprov_site *site, const smsprov_call *call, store_txn *txn,
                             sms_caller *out, smsprov_error *err);
/* As sms_caller_load in a read transaction of its own. */
smsprov_code sms_caller_read(smsprov_site *site, const smsprov_call *call, sms_caller *out,
                             smsprov_error *err);
void sms_caller_clear(sms_caller *c);

/* The scopes in which the caller holds every bit of op on type (a list of
 * scope IDs, caller frees the array, not the strings); *all when one is
 * SMS00ALL. */
const char **sms_caller_scopes(const sms_caller *c, uint32_t object_type, uint32_t op,
                               size_t *count, bool *all);
/* True when some pair grants every bit of op on type (type-wide). */
bool sms_caller_may_type(const sms_caller *c, uint32_t object_type, uint32_t op);
/* True when the caller holds role in some pair (or is the site). */
bool sms_caller_has_role(const sms_caller *c, const char *role);

/* Instance check: may the caller do op on inst (an instance of a secured
 * or unsecured class; unsecured ones always pass)?  Reads memberships in
 * txn. */
smsprov_code sms_caller_may(smsprov_site *site, const sms_caller *c, store_txn *txn,
                            const cim_instance *inst, uint32_t op, bool *ok, smsprov_error *err);

/* SMSPROV_E_ACCESS_DENIED with the sentence the provider gives: who, which
 * operation, which object (path or class). */
smsprov_code sms_rbac_deny(const sms_caller *c, uint32_t op, const char *object,
                           smsprov_error *err);

/* The store condition limiting a read of target (deep or not) to what the
 * caller may read: NULL for no limit; *none when nothing is visible. */
store_cond *sms_rbac_read_filter(smsprov_site *site, const sms_caller *c,
                                 const char *namespace_path, const cim_class *target, bool deep,
                                 bool *none);

/* ---- memberships (rbac_scopes.c) ---- */

/* The key of inst as a membership's ObjectKey (caller frees). */
char *sms_rbac_object_key(const sms_secured_type *t, const cim_instance *inst);
/* The scopes a new object of type t created by the caller goes into (the
 * scopes of its pairs whose role grants Create or Set Security Scope on t,
 * All read as Default).  Empty when none. Caller frees the array. */
const char **sms_rbac_new_object_scopes(const sms_caller *c, uint32_t object_type,
                                        size_t *count);
/* Adds the memberships of a new object and sets its SecuredScopeNames
 * (inst is the stored instance; it is updated in txn). */
smsprov_code sms_rbac_place_new_object(smsprov_site *site, store_txn *txn, cim_instance *inst,
                                       const char *const *scopes, size_t count,
                                       smsprov_error *err);
/* Rewrites SecuredScopeNames of the object (type, key) from its
 * memberships; nothing when the object is gone. */
smsprov_code sms_rbac_sync_scope_names(smsprov_site *site, store_txn *txn, uint32_t object_type,
                                       const char *key, smsprov_error *err);
/* Drops every membership of the object (after it was deleted). */
smsprov_code sms_rbac_drop_memberships(smsprov_site *site, store_txn *txn, uint32_t object_type,
                                       const char *key, smsprov_error *err);
/* Adds or removes one membership for the caller with every rule (scope
 * exists and is not All, object exists, Set Security Scope on the object,
 * scope settable by the caller, never the last scope). */
smsprov_code sms_rbac_add_membership(smsprov_site *site, const sms_caller *c, store_txn *txn,
                                     const char *category, const char *object_key,
                                     uint32_t object_type, smsprov_error *err);
smsprov_code sms_rbac_remove_membership(smsprov_site *site, const sms_caller *c,
                                        store_txn *txn, const char *category,
                                        const char *object_key, uint32_t object_type,
                                        smsprov_error *err);

/* ---- the provider calls (rbac_checks.c) ---- */

/* Put: before the instance is written.  stored is the stored instance on
 * update (NULL on create); inst is the instance about to be written. */
smsprov_code sms_rbac_check_put(smsprov_site *site, const sms_caller *c, store_txn *txn,
                                const cim_instance *stored, cim_instance *inst,
                                smsprov_error *err);
/* Put: after a create was inserted. */
smsprov_code sms_rbac_after_create(smsprov_site *site, const sms_caller *c, store_txn *txn,
                                   cim_instance *inst, smsprov_error *err);
/* Delete: before (stored is the instance about to go) and after. */
smsprov_code sms_rbac_check_delete(smsprov_site *site, const sms_caller *c, store_txn *txn,
                                   const cim_instance *stored, smsprov_error *err);
smsprov_code sms_rbac_after_delete(smsprov_site *site, const sms_caller *c, store_txn *txn,
                                   const cim_instance *stored, smsprov_error *err);
/* A method call on target (an instance, or NULL for a static call on cls). */
smsprov_code sms_rbac_check_method(smsprov_site *site, const sms_caller *c, const cim_class *cls,
                                   const char *method, const cim_instance *target,
                                   smsprov_error *err);

/* ---- the callers' cache (rbac_cache.c) ---- */

/* Read a generation before loading a caller and hand it to put: a load
 * that overlapped a change is not cached.  drop is called on every change
 * to SMS_Admin, SMS_Role or SMS_SecuredCategory. */
sms_rbac_cache *sms_rbac_cache_new(void);
/* After a committed put or delete of an instance of cls: drops the cache
 * when cls is an administration class. */
void sms_rbac_changed(smsprov_site *site, const cim_class *cls);
void sms_rbac_cache_free(sms_rbac_cache *c);
bool sms_rbac_cache_get(sms_rbac_cache *c, const char *user, sms_caller *out);
void sms_rbac_cache_put(sms_rbac_cache *c, const sms_caller *caller, uint64_t generation);
uint64_t sms_rbac_cache_generation(sms_rbac_cache *c);
void sms_rbac_cache_drop(sms_rbac_cache *c);

/* ---- the site's built-ins (rbac_seed.c) ---- */

/* Writes the built-in roles and scopes when missing, the first Full
 * Administrator (first_admin, may be NULL) when no admin has that name,
 * and a Default membership for every secured object that has none (a
 * database from before role-based administration). */
smsprov_code sms_rbac_seed(smsprov_site *site, const char *first_admin, smsprov_error *err);
/* Only the first Full Administrator part of it, inside the caller's write
 * transaction (the configuration reload); nothing for a NULL or empty name. */
smsprov_code sms_rbac_add_first_admin(smsprov_site *site, store_txn *txn, const char *name,
                                      smsprov_error *err);

/* Method handlers (rbac_methods.c). */
struct sms_method_call;
smsprov_code sms_membership_add(struct sms_method_call *mc, smsprov_error *err);
smsprov_code sms_membership_remove(struct sms_method_call *mc, smsprov_error *err);

#endif
