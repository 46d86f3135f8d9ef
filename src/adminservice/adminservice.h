/*
 * adminservice/adminservice.h - the AdminService door: ConfigMgr's OData v4
 * REST route /AdminService/wmi/ over the site's classes, on the WS-Man
 * listeners.  Every request becomes provider API calls made as the
 * authenticated user, so role-based administration applies as on the other
 * doors.  src/adminservice/README.md lists what is served.
 */
#ifndef SMSPROV_ADMINSERVICE_H
#define SMSPROV_ADMINSERVICE_H

#include "config/log.h"
#include "http/http.h"
#include "smsprov/provider.h"

#define ADMINSERVICE_ROOT "/AdminService"

typedef struct adminservice_door adminservice_door;

/* A door over site (borrowed; it must outlive the door).  server is the
 * provider's name in __SERVER and __PATH (NULL: this host's name). */
adminservice_door *adminservice_door_new(smsprov_site *site, smsprov_log *log,
                                         const char *server);
void adminservice_door_free(adminservice_door *door);

/* The route handler (http_route.handler) for ADMINSERVICE_ROOT, a prefix
 * route taking every method.  Answers OData JSON, or the CSDL XML for
 * $metadata; failures are {"error":{"code":"<status>","message":...}}. */
void adminservice_door_handle(void *door, const http_request *req, http_response *resp);

/* Translates an OData $filter expression into a WQL condition (without
 * WHERE): eq ne gt ge lt le, and or not, parentheses, string literals in
 * single quotes ('' for a quote), numbers, true, false, null, and
 * contains/startswith/endswith(Property,'text') as LIKE.  Returns a
 * malloc'd string, or NULL with *why (malloc'd) saying what is wrong. */
char *adminservice_filter_to_wql(const char *filter, char **why);

#endif
