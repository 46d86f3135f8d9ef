/*
 * nal.h - NAL paths, the strings ConfigMgr names site systems with:
 *
 *   ["Display=\\SERVER\"]MSWNET:["SMS_SITE=LAB"]\\SERVER\
 *
 * i.e. "[" display qualifiers "]" NALType ":" "[" connection qualifiers "]"
 * NetworkOSPath, each qualifier in double quotes, several separated by
 * commas.  Backslashes are literal (no escaping), so a qualifier cannot
 * hold a double quote.  A qualifier list that is empty is written as
 * nothing, and read back from nothing or "[]".
 */
#ifndef SMSPROV_SMS_NAL_H
#define SMSPROV_SMS_NAL_H

#include <stddef.h>

#include "smsprov/error.h"

typedef struct sms_nal {
    char **display;          /* "Display=\\SERVER\" */
    size_t display_count;
    char *type;              /* "MSWNET" or "GENERIC" */
    char *os_path;           /* "\\SERVER\" */
    char **connection;       /* "SMS_SITE=LAB" */
    size_t connection_count;
} sms_nal;

/* Writes nal as a NAL path (caller frees *out).  NALType must be GENERIC or
 * MSWNET (any case; written upper-case), NetworkOSPath non-empty and, for
 * MSWNET, a UNC server path (\\server\...); no qualifier may be empty or
 * hold a double quote, '[' or ']' outside it.  Errors:
 * SMSPROV_E_INVALID_PARAMETER naming the parameter (DisplayQualifiers,
 * NALType, NetworkOSPath, NetworkConnectionQualifiers) and the reason. */
smsprov_code sms_nal_pack(const sms_nal *nal, char **out, smsprov_error *err);

/* Takes a NAL path apart; every string of *out is owned (sms_nal_clear).
 * Errors: SMSPROV_E_INVALID_PARAMETER (parameter NALPath) with the
 * character position and what was expected. */
smsprov_code sms_nal_unpack(const char *text, sms_nal *out, smsprov_error *err);
void sms_nal_clear(sms_nal *nal);

/* The site code a NAL path names in its SMS_SITE=<code> qualifier, or NULL
 * (caller frees). */
char *sms_nal_site(const char *nal);

/* The NAL path of a site system: ["Display=\\<server>\"]MSWNET:
 * ["SMS_SITE=<site>"]\\<server>\ (caller frees). */
char *sms_nal_for_server(const char *server, const char *site_code);

#endif
