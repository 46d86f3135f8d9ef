/*
 * wsman/wsman.h - the WS-Management door: SOAP envelopes from PowerShell's
 * CIM cmdlets, winrm.cmd, python3-winrm or curl, turned into provider calls
 * and back.
 *
 * Identify; Get, Put, Create, Delete (WS-Transfer); Enumerate, Pull,
 * Release (WS-Enumeration, with the WQL and selector filter dialects);
 * methods (Invoke); GetClass as a CIM-XML CLASS.  Faults carry a
 * WSManFault code and, for provider errors, an MSFT_WmiError.
 */
#ifndef SMSPROV_WSMAN_H
#define SMSPROV_WSMAN_H

#include <stdbool.h>
#include <stddef.h>

#include "config/log.h"
#include "http/http.h"
#include "smsprov/provider.h"

typedef struct wsman_door wsman_door;

typedef struct wsman_door_options {
    smsprov_site *site;             /* borrowed; outlives the door */
    smsprov_log *log;               /* may be NULL */
    unsigned enumeration_timeout_s; /* idle enumerations expire; 0: 300 */
    unsigned max_enumerations;      /* open at once, server-wide; 0: 1024 */
    unsigned max_enumerations_per_user; /* open at once per user; 0: 128 */
    const char *machine;            /* Machine in WSManFault; NULL: the host name */
} wsman_door_options;

/* Call once before the first door (initialises libxml2 for threads). */
void wsman_global_init(void);

wsman_door *wsman_door_new(const wsman_door_options *options);
/* Frees the door and every open enumeration. */
void wsman_door_free(wsman_door *door);

/* The http_handler_fn of the /wsman route (data is the door).  The route
 * allows anonymous calls so that Identify with `WSMANIDENTIFY:
 * unauthenticated` works; anything else anonymous gets 401. */
void wsman_door_handle(void *door, const http_request *req, http_response *resp);

/* The http_anonymous_fn of the /wsman route: only a request carrying
 * `WSMANIDENTIFY: unauthenticated` is read without credentials (the door
 * then still checks that its body is an Identify). */
bool wsman_door_accepts_anonymous(void *door, const http_request *req);

typedef struct wsman_caller {
    const char *user;        /* NULL: anonymous */
    const char *user_agent;  /* "Microsoft WinRM Client" switches on WinRM's value forms */
    bool identify_unauthenticated; /* the WSMANIDENTIFY: unauthenticated header */
} wsman_caller;

/* Handles one request body and returns the answer envelope (NULL for a
 * 401), setting *status to 200, 500 (a SOAP fault) or 401.  Caller frees. */
char *wsman_door_process(wsman_door *door, const char *body, size_t len,
                         const wsman_caller *caller, unsigned *status);

/* Frees expired enumerations; returns how many are open. */
size_t wsman_door_sweep(wsman_door *door);

#endif
