/* listeners.c - which listeners the doors run, from the per-listener
 * sections ([wsman.http] ... [adminservice.https]) and the deprecated keys
 * they replaced, so the server, check-config and the port file agree. */
#include "config/config.h"

static const char *const SECTIONS[SMSPROV_LISTENER_COUNT] = {
    "wsman.http", "wsman.https", "cimxml.http", "cimxml.https", "adminservice.http",
    "adminservice.https"};

static void from(smsprov_listener_plan *out, const smsprov_listener_config *l, bool serve)
{
    out->serve = serve;
    out->address = l->address;
    out->port = l->port;
}

/* An AdminService listener with no address or port of its own rides on the
 * WS-Man listener of its scheme (one port for both, the default). */
static void rest(const smsprov_config *cfg, const smsprov_listener_config *l,
                 const smsprov_listener_config *wsman, smsprov_listener_plan *out)
{
    bool serve = cfg->adminservice_enabled && l->enabled;
    if (!l->address && l->port == SMSPROV_PORT_UNSET) {
        from(out, wsman, serve && wsman->enabled);
        out->shared = true;
        return;
    }
    from(out, l, serve);
    if (!out->address)
        out->address = wsman->address;
    if (out->port == SMSPROV_PORT_UNSET)
        out->port = wsman->port;
}

void smsprov_config_listener(const smsprov_config *cfg, smsprov_listener_id id,
                             smsprov_listener_plan *out)
{
    *out = (smsprov_listener_plan){.section = SECTIONS[id],
                                   .tls = id == SMSPROV_WSMAN_HTTPS ||
                                          id == SMSPROV_CIMXML_HTTPS || id == SMSPROV_REST_HTTPS};
    switch (id) {
    case SMSPROV_WSMAN_HTTP:
        from(out, &cfg->http, cfg->http.enabled);
        break;
    case SMSPROV_WSMAN_HTTPS:
        from(out, &cfg->https, cfg->https.enabled);
        break;
    case SMSPROV_CIMXML_HTTP:
        from(out, &cfg->cimxml, cfg->cimxml.enabled);
        break;
    case SMSPROV_CIMXML_HTTPS:
        from(out, &cfg->cimxml_tls,
             cfg->cimxml_tls.enabled || (cfg->cimxml.enabled && cfg->cimxml_https));
        break;
    case SMSPROV_REST_HTTP:
        rest(cfg, &cfg->rest, &cfg->http, out);
        break;
    case SMSPROV_REST_HTTPS:
        rest(cfg, &cfg->rest_tls, &cfg->https, out);
        break;
    default:
        break;
    }
}
