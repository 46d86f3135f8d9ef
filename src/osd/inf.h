/*
 * osd/inf.h - Windows INF files: the generic syntax, and the checks a
 * driver package must pass before it can be added to a boot image.
 *
 * Syntax (as Windows reads INF files): sections "[name]" (names compare
 * ignoring case; sections of the same name are merged), lines
 * "key = value, value, ..." or "value, value, ...", ';' comments outside
 * quotes, a trailing '\' continuing a line, "quoted, values" with ""
 * for a quote, and %strkey% tokens replaced from the [Strings] section
 * (%% is a percent sign).  Files are UTF-16LE with a byte-order mark, or
 * UTF-8 (with or without one) / ASCII.
 */
#ifndef SMSPROV_OSD_INF_H
#define SMSPROV_OSD_INF_H

#include <stddef.h>

#include "osd/arch.h"
#include "smsprov/error.h"

typedef struct osd_inf_line {
    char *key;        /* the part before '=' (NULL when the line has none) */
    char **values;    /* the comma-separated fields after '=' (or the whole line) */
    size_t value_count;
    unsigned line_no; /* 1-based, of the line's first physical line */
} osd_inf_line;

typedef struct osd_inf_section {
    char *name;
    osd_inf_line *lines;
    size_t line_count;
} osd_inf_section;

typedef struct osd_inf {
    osd_inf_section *sections;
    size_t section_count;
    void *section_index; /* private: finds a section by name in constant time */
} osd_inf;

/* Parses size bytes of INF text.  name only names the file in messages.
 * Syntax errors are SMSPROV_E_INVALID_PARAMETER with a sentence giving
 * the line: a section name without ']', an unclosed quote, a line before
 * the first section, text that is not an INF (NUL bytes, bad UTF-16).
 * %strkey% tokens are kept as written; osd_inf_expand() replaces them.
 * Free with osd_inf_clear(), also after a failure. */
smsprov_code osd_inf_parse(const void *data, size_t size, const char *name, osd_inf *out,
                           smsprov_error *err);
void osd_inf_clear(osd_inf *inf);

/* The section called name (ignoring case), or NULL. */
const osd_inf_section *osd_inf_find_section(const osd_inf *inf, const char *name);
/* The first line of section whose key is key (ignoring case), or NULL. */
const osd_inf_line *osd_inf_find(const osd_inf *inf, const char *section, const char *key);

/* value with its %strkey% tokens replaced from [Strings].  Returns NULL
 * and sets *undefined (caller frees) to the first token [Strings] does
 * not define.  Caller frees the result. */
char *osd_inf_expand(const osd_inf *inf, const char *value, char **undefined);

/* ---- driver packages ----------------------------------------------------- */

/* What a driver package's INF says, for one image architecture. */
typedef struct osd_driver_info {
    char *class_name;   /* [Version] Class, expanded */
    char *class_guid;   /* [Version] ClassGUID, "{4d36e972-e325-11ce-bfc1-08002be10318}" */
    char *provider;     /* [Version] Provider, expanded */
    char *version;      /* DriverVer version ("10.0.1.2"), or NULL */
    char *date;         /* DriverVer date ("06/21/2006"), or NULL */
    char *catalog;      /* CatalogFile for the architecture, or NULL */
    char **files;       /* files the INF copies for the architecture, relative to
                         * the INF's folder ('/'-separated), each checked to exist */
    size_t file_count;
    char *hash;         /* 16 hex digits of the INF's SHA-256, for the store folder */
} osd_driver_info;

/* Reads and checks the driver package whose INF is inf_path for an image
 * of arch.  shown names the INF in messages (the path the client gave;
 * NULL: inf_path).  Every failure is a sentence naming the INF and the
 * reason:
 *   SMSPROV_E_NOT_FOUND         the INF, a file it copies or its catalog is missing
 *   SMSPROV_E_INVALID_PARAMETER a syntax error; no [Version]; a Signature
 *                               other than $Windows NT$ / $Chicago$; no
 *                               Class, ClassGUID (or one that is not a GUID)
 *                               or Provider; an undefined %strkey%; no
 *                               [Manufacturer]; a models section it names
 *                               that does not exist
 *   SMSPROV_E_NOT_SUPPORTED     no models section decorated for arch
 *                               (NTamd64, NTx86 or undecorated, NTarm64)
 * Free with osd_driver_info_clear(), also after a failure. */
smsprov_code osd_driver_read(const char *inf_path, const char *shown, osd_arch arch,
                             osd_driver_info *out, smsprov_error *err);
void osd_driver_info_clear(osd_driver_info *info);

/* The platform part of an INF decoration for arch: "x86", "amd64",
 * "arm64", "ia64". */
const char *osd_inf_platform(osd_arch arch);

#endif
