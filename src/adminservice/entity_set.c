/* entity_set.c - GET of an entity set: $filter and $orderby become the WQL
 * query's WHERE and ORDER BY, so the store does the work; the answer is
 * written from the cursor while it is sent, so a set of any size costs the
 * server one batch of memory.  $skip and $top count through the cursor,
 * and Prefer: odata.maxpagesize ends a page with @odata.nextLink. */
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
    uint64_t skip, limit, sent, total;
    bool count, counting, done, end;
    uint64_t page;        /* the page size asked for; 0: none */
    char *next_link;      /* the link written after a full page */
    char **select;
    smsprov_log *log;
} set_stream;

static void finish(set_stream *s)
{
    cim_buf_append(&s->out, "]");
    if (s->count)
        cim_buf_printf(&s->out, ",\"@odata.count\":%llu", (unsigned long long)s->total);
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
        s->total++;
        if (s->skip) {
            s->skip--;
            continue;
        }
        if (s->sent >= s->limit)
            continue;
        if (s->sent++)
            cim_buf_append(&s->out, ",");
        adminservice_json_entity(&s->out, list.items[i], (const char *const *)s->select, false);
    }
    smsprov_instance_list_clear(&list);
    /* past the page: go on only to count, or to know whether more remain */
    if (s->end || (s->sent >= s->limit && !s->count))
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

static char *build_query(as_request *r)
{
    cim_buf q = {0};
    cim_buf_printf(&q, "SELECT * FROM %s", r->cls->name);
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
    if (r->opts.orderby) {
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

void as_get_set(as_request *r)
{
    char *query = build_query(r);
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
    s->count = r->opts.count;
    s->log = r->door->log;
    s->select = as_select_list(r->opts.select);
    uint64_t page = page_size(r->http);
    if (page && page < s->limit) {
        s->page = s->limit = page;
        s->next_link = next_link(r, page);
    }
    cim_buf_printf(&s->out, "{\"@odata.context\":\"%s$metadata#%s\",\"value\":[", r->base,
                   r->cls->name);
    r->resp->status = 200;
    r->resp->content_type = "application/json; odata.metadata=minimal; odata.streaming=true; "
                            "IEEE754Compatible=false; charset=utf-8";
    r->resp->stream = stream_read;
    r->resp->stream_free = stream_free;
    r->resp->stream_data = s;
    SMSPROV_LOG(r->door->log, SMSPROV_LOG_INFO, "AdminService GET %s by %s: streaming",
                r->cls->name, r->call.user);
}
