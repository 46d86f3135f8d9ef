/* entity_set.c - GET of an entity set: $filter and $orderby become the WQL
 * query's WHERE and ORDER BY, so the store does the work; the answer is
 * written from the cursor while it is sent, so a set of any size costs the
 * server one batch of memory.  $skip and $top count through the cursor,
 * and Prefer: odata.maxpagesize ends a page with @odata.nextLink.
 * $count=true and /$count ask the store for SELECT COUNT(*) with the same
 * WHERE first, so @odata.count comes before the value it counts without
 * the set being held. */
#include "adminservice/request.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BATCH 256

typedef struct set_stream {
    smsprov_cursor *cursor;
    cim_buf out;
    size_t pos;
    uint64_t skip, limit, sent;
    bool done, end;
    uint64_t page;        /* the page size asked for; 0: none */
    char *next_link;      /* the link written after a full page */
    char **select;
    as_layout **layouts;  /* one per class met (a query on a base class meets several) */
    size_t layout_count;
    char *server;
    const char *ns;
    smsprov_log *log;
} set_stream;

static as_layout *layout_of(set_stream *s, const cim_class *cls)
{
    for (size_t i = 0; i < s->layout_count; i++)
        if (adminservice_layout_class(s->layouts[i]) == cls)
            return s->layouts[i];
    s->layouts = cim_xrealloc(s->layouts, (s->layout_count + 1) * sizeof *s->layouts);
    return s->layouts[s->layout_count++] = adminservice_layout_new(cls, s->server, s->ns);
}

static void finish(set_stream *s)
{
    cim_buf_append(&s->out, "]");
    if (s->next_link && s->sent == s->page && !s->end) {
        cim_buf_append(&s->out, ",\"@odata.nextLink\":");
        adminservice_json_string(&s->out, s->next_link);
    }
    cim_buf_append(&s->out, "}");
    s->done = true;
}

static bool fill(set_stream *s)
{
    smsprov_instance_list list = {0};
    smsprov_error err = {0};
    if (smsprov_cursor_read(s->cursor, BATCH, &list, &s->end, &err) != SMSPROV_OK) {
        SMSPROV_LOG(s->log, SMSPROV_LOG_ERROR, "AdminService: reading an entity set failed: %s",
                    err.description ? err.description : "");
        smsprov_error_clear(&err);
        return false;
    }
    for (size_t i = 0; i < list.count; i++) {
        if (s->skip) {
            s->skip--;
            continue;
        }
        if (s->sent >= s->limit)
            break;
        if (s->sent++)
            cim_buf_append_n(&s->out, ",", 1);
        if (s->select)
            adminservice_json_entity(&s->out, list.items[i], (const char *const *)s->select,
                                     false);
        else
            adminservice_json_full_entity(&s->out, layout_of(s, list.items[i]->cls),
                                          list.items[i], false);
    }
    smsprov_instance_list_clear(&list);
    if (s->end || s->sent >= s->limit)
        finish(s);
    return true;
}

static long stream_read(void *data, char *buf, size_t max)
{
    set_stream *s = data;
    while (s->out.len - s->pos < max && !s->done) {
        if (s->pos) { /* keep the buffer one batch long */
            memmove(s->out.data, s->out.data + s->pos, s->out.len - s->pos);
            s->out.len -= s->pos;
            s->pos = 0;
        }
        if (!fill(s))
            return -1;
    }
    size_t n = s->out.len - s->pos;
    if (n > max)
        n = max;
    memcpy(buf, s->out.data + s->pos, n);
    s->pos += n;
    return (long)n;
}

static void stream_free(void *data)
{
    set_stream *s = data;
    smsprov_cursor_close(s->cursor);
    cim_buf_clear(&s->out);
    free(s->next_link);
    as_free_list(s->select);
    for (size_t i = 0; i < s->layout_count; i++)
        adminservice_layout_free(s->layouts[i]);
    free(s->layouts);
    free(s->server);
    free(s);
}

/* "Name desc, PackageID" into "Name DESC, PackageID"; NULL when malformed. */
static char *order_by(const char *text)
{
    cim_buf b = {0};
    const char *p = text;
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        size_t n = 0;
        while (isalnum((unsigned char)p[n]) || p[n] == '_')
            n++;
        if (!n)
            break;
        cim_buf_printf(&b, "%s%.*s", b.len ? ", " : "", (int)n, p);
        p += n;
        while (isspace((unsigned char)*p))
            p++;
        if (!strncasecmp(p, "desc", 4) && !isalnum((unsigned char)p[4])) {
            cim_buf_append(&b, " DESC");
            p += 4;
        } else if (!strncasecmp(p, "asc", 3) && !isalnum((unsigned char)p[3])) {
            p += 3;
        }
        while (isspace((unsigned char)*p))
            p++;
        if (*p != ',')
            break;
        p++;
    }
    if (*p || !b.len) {
        cim_buf_clear(&b);
        return NULL;
    }
    return cim_buf_take(&b);
}

/* The WQL of the request: SELECT * with $filter as WHERE and $orderby as
 * ORDER BY, or with count SELECT COUNT(*) and the same WHERE.  NULL after
 * answering 400. */
static char *build_query(as_request *r, bool count)
{
    cim_buf q = {0};
    cim_buf_printf(&q, "SELECT %s FROM %s", count ? "COUNT(*)" : "*", r->cls->name);
    if (r->opts.filter) {
        char *why = NULL;
        char *cond = adminservice_filter_to_wql(r->opts.filter, &why);
        if (!cond) {
            as_fail(r, 400, SMSPROV_E_INVALID_QUERY, "%s", why);
            free(why);
            cim_buf_clear(&q);
            return NULL;
        }
        cim_buf_printf(&q, " WHERE %s", cond);
        free(cond);
    }
    if (r->opts.orderby && !count) {
        char *order = order_by(r->opts.orderby);
        if (!order) {
            as_fail(r, 400, SMSPROV_E_INVALID_QUERY,
                    "$orderby takes property names, each optionally followed by asc or desc, "
                    "separated by commas.");
            cim_buf_clear(&q);
            return NULL;
        }
        cim_buf_printf(&q, " ORDER BY %s", order);
        free(order);
    }
    return cim_buf_take(&q);
}

/* Prefer: odata.maxpagesize=N (among other preferences). */
static uint64_t page_size(const http_request *req)
{
    const char *prefer = http_request_header(req, "Prefer");
    const char *at = prefer ? strstr(prefer, "odata.maxpagesize=") : NULL;
    if (!at)
        return 0;
    unsigned long long n = strtoull(at + 18, NULL, 10);
    return n;
}

static void percent_encode(cim_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || strchr("-._~$", *p))
            cim_buf_append_n(b, (const char *)p, 1);
        else
            cim_buf_printf(b, "%%%02X", *p);
    }
}

/* The same query, $skip past this page and $top what is left of it. */
static char *next_link(as_request *r, uint64_t page)
{
    cim_buf b = {0};
    cim_buf_printf(&b, "%s%s?", r->base, r->cls->name);
    for (size_t i = 0; i < r->opts.arg_count; i++) {
        const char *n = r->opts.names[i];
        if (!cim_strcasecmp(n, "$skip") || !cim_strcasecmp(n, "$top"))
            continue;
        percent_encode(&b, n);
        cim_buf_append(&b, "=");
        percent_encode(&b, r->opts.values[i]);
        cim_buf_append(&b, "&");
    }
    cim_buf_printf(&b, "$skip=%llu", (unsigned long long)(r->opts.skip + page));
    if (r->opts.top != AS_NO_LIMIT)
        cim_buf_printf(&b, "&$top=%llu", (unsigned long long)(r->opts.top - page));
    return cim_buf_take(&b);
}

/* How many instances the request's $filter keeps (for the caller, under
 * role-based administration), counted by the store; false after
 * answering the error. */
static bool count_matches(as_request *r, uint64_t *count)
{
    char *query = build_query(r, true);
    if (!query)
        return false;
    smsprov_cursor *cursor = NULL;
    smsprov_instance_list list = {0};
    smsprov_error err = {0};
    smsprov_code rc = smsprov_query_open(r->door->site, &r->call, "WQL", query, &cursor, &err);
    if (rc == SMSPROV_OK)
        rc = smsprov_cursor_read(cursor, 1, &list, NULL, &err);
    free(query);
    smsprov_cursor_close(cursor);
    if (rc != SMSPROV_OK) {
        as_fail_call(r, &err);
        smsprov_error_clear(&err);
        return false;
    }
    const cim_value *v = list.count ? cim_instance_get(list.items[0], "Count") : NULL;
    *count = v && !v->is_null ? v->u.uint : 0;
    smsprov_instance_list_clear(&list);
    return true;
}

void as_get_count(as_request *r)
{
    uint64_t count = 0;
    if (!count_matches(r, &count))
        return;
    r->resp->status = 200;
    r->resp->content_type = "text/plain;charset=utf-8";
    r->resp->body = cim_xasprintf("%llu", (unsigned long long)count);
    r->resp->body_len = strlen(r->resp->body);
}

void as_get_set(as_request *r)
{
    uint64_t count = 0;
    if (r->opts.count && !count_matches(r, &count))
        return;
    char *query = build_query(r, false);
    if (!query)
        return;
    smsprov_cursor *cursor = NULL;
    smsprov_error err = {0};
    if (smsprov_query_open(r->door->site, &r->call, "WQL", query, &cursor, &err) != SMSPROV_OK) {
        as_fail_call(r, &err);
        smsprov_error_clear(&err);
        free(query);
        return;
    }
    free(query);
    set_stream *s = cim_xcalloc(1, sizeof *s);
    s->cursor = cursor;
    s->skip = r->opts.skip;
    s->limit = r->opts.top;
    s->log = r->door->log;
    s->server = cim_xstrdup(r->door->server);
    s->ns = r->ns;
    s->select = as_select_list(r->opts.select);
    uint64_t page = page_size(r->http);
    if (page && page < s->limit) {
        s->page = s->limit = page;
        s->next_link = next_link(r, page);
    }
    cim_buf_printf(&s->out, "{\"@odata.context\":\"%s$metadata#%s\",", r->base, r->cls->name);
    if (r->opts.count)
        cim_buf_printf(&s->out, "\"@odata.count\":%llu,", (unsigned long long)count);
    cim_buf_append(&s->out, "\"value\":[");
    r->resp->status = 200;
    r->resp->content_type = "application/json; odata.metadata=minimal; odata.streaming=true; "
                            "IEEE754Compatible=false; charset=utf-8";
    r->resp->stream = stream_read;
    r->resp->stream_free = stream_free;
    r->resp->stream_data = s;
    SMSPROV_LOG(r->door->log, SMSPROV_LOG_INFO, "AdminService GET %s by %s: streaming",
                r->cls->name, r->call.user);
}
