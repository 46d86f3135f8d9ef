/*
 * boot_image.h - boot image servicing in the provider: the injection job
 * behind a boot image import and refresh, and the image metadata the
 * packages keep (SERVICING.md describes the behaviour).
 */
#ifndef SMSPROV_SMS_BOOT_IMAGE_H
#define SMSPROV_SMS_BOOT_IMAGE_H

#include "osd/customize.h"
#include "sms/methods.h"

/* How a boot image package's content WIM is (re)built. */
typedef enum sms_inject_kind {
    SMS_INJECT_IMPORT,  /* after a create: the first content; SourceVersion stays 1 */
    SMS_INJECT_REFRESH, /* RefreshPkgSource and friends: SourceVersion + 1 */
} sms_inject_kind;

/* Builds boot.<PackageID>.wim for package from its ImagePath and
 * ImageIndex on the site's worker pool, then stores PkgSourcePath,
 * PackageSize, Architecture, ImageOSVersion, ImageProperty and
 * ImageDiskLayout (and, for a refresh, the refresh stamps).  Progress goes
 * to the status queue of context_id (NULL or "": none) and to
 * call->progress.  Waits for the job; a failed job is SMSPROV_E_FAILED
 * with its sentence.  method names the job ("RefreshPkgSource"). */
smsprov_code sms_boot_image_inject(smsprov_site *site, const smsprov_call *call,
                                   const cim_instance *package, sms_inject_kind kind,
                                   const char *method, const char *context_id,
                                   smsprov_error *err);

/* A jobs_watch_fn for a caller waiting on a servicing job (data is its
 * smsprov_call, which has progress): forwards each step to call->progress
 * and stops waiting once call->client_gone says the client has gone. */
bool sms_watch_job(void *data, uint32_t progress, uint32_t max, const char *text);

/* As sms_boot_image_inject, but building with components (a uint32 array
 * of optional component IDs) instead of the package's OptionalComponents,
 * and storing them with the new content: UpdateOptionalComponents changes
 * the package only when its content is rebuilt. */
smsprov_code sms_boot_image_inject_components(smsprov_site *site, const smsprov_call *call,
                                              const cim_instance *package,
                                              const cim_value *components, const char *method,
                                              const char *context_id, smsprov_error *err);

/* The WinPE customisation of a package, ready for osd_customize_attach
 * (boot_image_customize.c): its OptionalComponents (or
 * components, when not NULL) as names, its enabled ReferencedDrivers with
 * the INF each SMS_Driver names, ScratchSpace, the prestart command and the
 * background, every client path mapped through the site's shares.  The
 * required optional components are always added. */
typedef struct sms_customization {
    osd_customization osd;
    const char **component_names; /* the static ID table's names */
    osd_driver_ref *drivers;      /* strings owned */
    char *prestart_folder, *background;
    char *prestart_root, *background_root; /* their shares' folders */
} sms_customization;
smsprov_code sms_customization_load(smsprov_site *site, const cim_instance *package,
                                    const cim_value *components, sms_customization *out,
                                    smsprov_error *err);
void sms_customization_clear(sms_customization *c);

/* The site's record of source WIMs verified in full, for
 * osd_inject_options.verified_sources (verified_sources.c). */
osd_verified_sources sms_verified_sources(smsprov_site *site);

/* The local path of boot.<PackageID>.wim in the content folder.  Caller
 * frees. */
char *sms_boot_image_content_path(const smsprov_site *site, const char *package_id);

/* Small helpers the servicing files share. */
const char *sms_string_of(const cim_instance *inst, const char *name); /* NULL if null */
uint64_t sms_uint_of(const cim_instance *inst, const char *name);      /* 0 if null */
bool sms_bool_of(const cim_instance *inst, const char *name);          /* false if null */

/* The local WIM a client path names (image_methods.c): the file itself, or
 * for a folder (install media) its sources\install.wim / install.esd.
 * Errors as sms_path_to_local; *out is set (a path osd can name) even when
 * the file is missing.  Caller frees *out. */
smsprov_code sms_image_local_wim(const smsprov_site *site, const char *windows_path,
                                 const char *property, char **out, smsprov_error *err);

/* What an OS image package keeps of its WIM: ImageProperty and
 * ImageDiskLayout of every image. */
typedef struct sms_os_image_metadata {
    char *image_property;
    char *disk_layout;
    uint64_t size_kb; /* the WIM's size in KB (rounded up), as PackageSize */
} sms_os_image_metadata;

/* Reads the WIM at windows_path (property names it in errors): it must be a
 * WIM (not a folder without install media, not another file), hold at least
 * one image, every image's directory tree must read back (its SHA-1
 * checks) and, with verify, the whole WIM must verify (osd_wim_verify_whole,
 * recorded in the site database so an unchanged file is verified once; it
 * writes the record, so not inside a write transaction).  Errors: path outside the shares SMSPROV_E_INVALID_PARAMETER
 * (paths.h); a missing file SMSPROV_E_NOT_FOUND; not a WIM, no image,
 * damaged SMSPROV_E_INVALID_PARAMETER.  On error *out is empty. */
smsprov_code sms_os_image_read(smsprov_site *site, const char *windows_path,
                               const char *property, bool verify, sms_os_image_metadata *out,
                               smsprov_error *err);
void sms_os_image_clear(sms_os_image_metadata *m);

/* SMS_ImagePackage (image_package.c). */
smsprov_code sms_os_image_refresh(sms_method_call *mc, smsprov_error *err);
smsprov_code sms_os_image_run_offline_servicing(sms_method_call *mc, smsprov_error *err);

/* SMS_NAL_Methods (nal_methods.c). */
smsprov_code sms_nal_pack_method(sms_method_call *mc, smsprov_error *err);
smsprov_code sms_nal_unpack_method(sms_method_call *mc, smsprov_error *err);

/* Method handlers (boot_image_methods.c, image_methods.c). */
smsprov_code sms_boot_image_refresh(sms_method_call *mc, smsprov_error *err);
smsprov_code sms_boot_image_update(sms_method_call *mc, smsprov_error *err);
smsprov_code sms_boot_image_query_status(sms_method_call *mc, smsprov_error *err);
smsprov_code sms_boot_image_delete_context(sms_method_call *mc, smsprov_error *err);
smsprov_code sms_image_get_properties(sms_method_call *mc, smsprov_error *err);
smsprov_code sms_image_reload_properties(sms_method_call *mc, smsprov_error *err);
smsprov_code sms_package_add_change_notification(sms_method_call *mc, smsprov_error *err);
smsprov_code sms_package_add_distribution_points(sms_method_call *mc, smsprov_error *err);
/* WinPE optional components and the default image export
 * (optional_component_update.c, boot_image_export.c). */
smsprov_code sms_boot_image_update_components(sms_method_call *mc, smsprov_error *err);
smsprov_code sms_boot_image_export_default(sms_method_call *mc, smsprov_error *err);

#endif
