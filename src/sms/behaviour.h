/*
 * behaviour.h - class behaviour as a table, not a switch.
 *
 * Each entry applies to a class and every class derived from it; rules
 * shared by every SMS_PackageBaseclass child live once, in the entry for
 * SMS_PackageBaseclass.  Entries apply base first, in table order.
 */
#ifndef SMSPROV_SMS_BEHAVIOUR_H
#define SMSPROV_SMS_BEHAVIOUR_H

#include "sms/site.h"

/* What a put hook sees. */
typedef struct sms_put_context {
    smsprov_site *site;
    const smsprov_call *call;
    const char *namespace_path;
    store_txn *txn;               /* the put's write transaction */
    const cim_instance *stored;   /* the stored instance on update; NULL on create */
    const cim_instance *client;   /* what the client sent, typed as the schema class */
} sms_put_context;

typedef smsprov_code (*sms_put_hook)(sms_put_context *ctx, cim_instance *inst, smsprov_error *err);

/* What an after-put hook sees: the put's transaction has committed, so the
 * hook may start work (a job) that reads and changes the instance in
 * transactions of its own. */
typedef struct sms_after_put {
    smsprov_site *site;
    const smsprov_call *call;
    const char *namespace_path;
    const cim_instance *stored;   /* the instance as committed */
    const cim_instance *client;   /* what the client sent, typed as the schema class */
    bool created;
} sms_after_put;

typedef smsprov_code (*sms_after_put_hook)(const sms_after_put *ap, smsprov_error *err);

/* Work before the put's write transaction begins, on what the client sent
 * (typed as the schema class): long reads that must not hold the site's
 * write lock (verifying a WIM).  Its failure is the put's result. */
typedef smsprov_code (*sms_before_put_hook)(smsprov_site *site, const cim_instance *client,
                                            smsprov_error *err);

/* What a delete hook sees: the instance's keys, inside the
 * delete's transaction after the instance is gone, so that rows kept for
 * it (SMS_BootImagePackage_DriverRef) go with it. */
typedef smsprov_code (*sms_delete_hook)(smsprov_site *site, store_txn *txn,
                                        const cim_instance *keys, smsprov_error *err);

typedef struct sms_class_behaviour {
    const char *class_name;
    /* Why clients may not create, change or delete instances (NULL: they may). */
    const char *maintained_by_server;
    /* A key the site assigns on create (PackageID); clients leave it empty. */
    const char *server_assigned_key;
    sms_put_hook on_create;  /* server-made values: keys, stamps */
    sms_put_hook on_update;  /* stamps of a change */
    sms_put_hook validate;   /* class rules, after the generic checks */
    sms_before_put_hook before_put;
    /* Work after the put committed (a boot image import); its failure is
     * the put's result. */
    sms_after_put_hook after_put;
    /* A source refresh rebuilds content in a job, which stamps SourceVersion
     * itself when it succeeds, so a put's RefreshPkgSourceFlag must not. */
    bool refresh_builds_content;
    /* Work in the delete's transaction. */
    sms_delete_hook on_delete;
} sms_class_behaviour;

/* Calls fn for every behaviour entry that applies to cls, base first. */
typedef smsprov_code (*sms_behaviour_visit)(const sms_class_behaviour *b, void *data,
                                            smsprov_error *err);
smsprov_code sms_behaviour_each(const cim_class *cls, sms_behaviour_visit fn, void *data,
                                smsprov_error *err);
/* The first entry that says the class is maintained by the server, if any. */
const char *sms_behaviour_server_maintained(const cim_class *cls);
/* The key the site assigns on create for this class, if any. */
const char *sms_behaviour_server_assigned_key(const cim_class *cls);
/* True when a source refresh of cls rebuilds its content (see above). */
bool sms_behaviour_refresh_builds_content(const cim_class *cls);

/* Package rules (package_rules.c). */
smsprov_code sms_package_on_create(sms_put_context *ctx, cim_instance *inst, smsprov_error *err);
smsprov_code sms_package_on_update(sms_put_context *ctx, cim_instance *inst, smsprov_error *err);
smsprov_code sms_package_validate(sms_put_context *ctx, cim_instance *inst, smsprov_error *err);
/* What a source refresh stamps: SourceVersion + 1, SourceDate and
 * LastRefreshTime now, a new SedoObjectVersion. */
void sms_package_stamp_refresh(cim_instance *inst);

/* Boot image and image package rules (boot_image_put.c). */
smsprov_code sms_boot_image_on_create(sms_put_context *ctx, cim_instance *inst,
                                      smsprov_error *err);
smsprov_code sms_image_package_on_update(sms_put_context *ctx, cim_instance *inst,
                                         smsprov_error *err);
smsprov_code sms_boot_image_validate(sms_put_context *ctx, cim_instance *inst,
                                     smsprov_error *err);
smsprov_code sms_boot_image_after_put(const sms_after_put *ap, smsprov_error *err);
/* The customisation settings of a boot image (boot_image_customize.c):
 * PreExecSourceDirectory and BackgroundBitmapPath under a share, a
 * prestart folder only with a command, a command on one line. */
smsprov_code sms_boot_image_customization_validate(sms_put_context *ctx, cim_instance *inst,
                                                   smsprov_error *err);

/* SMS_ImagePackage (image_package.c): a create with PkgSourcePath, a new
 * PkgSourcePath or RefreshPkgSourceFlag = TRUE reads the WIM into
 * ImageProperty and ImageDiskLayout; a path that is no readable WIM fails
 * the put with SMSPROV_E_INVALID_PARAMETER naming PkgSourcePath. */
smsprov_code sms_os_image_validate(sms_put_context *ctx, cim_instance *inst, smsprov_error *err);
/* ... and, before the transaction, verifies the whole WIM the client names
 * (once per unchanged file: the site's verified-source record). */
smsprov_code sms_os_image_before_put(smsprov_site *site, const cim_instance *client,
                                     smsprov_error *err);

/* SMS_DistributionPoint (distribution_point.c): a create checks SiteCode,
 * ServerNALPath and the package and fills what the server knows; an
 * update with RefreshNow = TRUE re-stamps LastRefreshTime (Status 1).
 * SMSPROV_E_INVALID_PARAMETER naming the property. */
#define SMS_DP_STATUS_UPDATED 1
#define SMS_DP_STATUS_ADDED 2
smsprov_code sms_dp_on_create(sms_put_context *ctx, cim_instance *inst, smsprov_error *err);
smsprov_code sms_dp_on_update(sms_put_context *ctx, cim_instance *inst, smsprov_error *err);
/* The values a new row gets from its package (put and
 * AddDistributionPoints alike); dp's keys are set. */
void sms_dp_fill_new(const smsprov_site *site, cim_instance *dp, const cim_instance *pkg);

/* Generic checks every put passes (validate.c): not_null, Range, max(n),
 * SizeLimit, embedded object classes, recursively into embedded instances.
 * SMSPROV_E_INVALID_PARAMETER naming the property (ParameterInfo) and the
 * limit. */
smsprov_code sms_validate_instance(const cim_instance *inst, const char *path_prefix,
                                   smsprov_error *err);

/* The most characters a client may write into one string (a property, an
 * array item, a string in an embedded instance, a method parameter).  The
 * 25 strings a client writes into a boot image package, each at this bound
 * and escaped at the worst ratio (6 bytes a character), take 307,200 bytes:
 * any instance still fits a 512,000-byte WS-Man envelope. */
#define SMS_MAX_STRING_CHARS 2048

/* Checks every string of inst that differs from stored (NULL: every string)
 * against SMS_MAX_STRING_CHARS, down into embedded instances: what the
 * client wrote, not what the server keeps.  path_prefix names an embedded
 * instance (NULL at the top).  SMSPROV_E_INVALID_PARAMETER naming the
 * property and the bound. */
smsprov_code sms_check_client_strings(const cim_instance *inst, const cim_instance *stored,
                                      const char *path_prefix, smsprov_error *err);

#endif
