/* stream.c - a response written while its instances are read: the
 * envelope's start, then the instances a batch at a time from the
 * operation's cursor, then the envelope's end, handed to the HTTP server as
 * a chunked body.  Memory stays at one batch whatever the result size, and
 * the first bytes leave before the database has been read to the end. */
#include <stdlib.h>
#include <string.h>

#include "cimxml/cimxml.h"
#include "cimxml/ops.h"
#include "cimxml/response.h"

/* Instances written per batch: enough to fill the 64 KiB the server sends
 * at a time, few enough to keep a batch small. */
#define STREAM_BATCH 64

typedef enum stream_phase { PHASE_ROWS, PHASE_DONE } stream_phase;

typedef struct answer_stream {
    cimxml_rows rows;
    cim_buf pending;  /* written, not yet sent */
    size_t sent;      /* bytes of pending already sent */
    char *suffix;     /* the envelope's end */
    stream_phase phase;
    smsprov_log *log;
    char *method;
} answer_stream;

void cimxml_rows_clear(cimxml_rows *rows)
{
    smsprov_cursor_close(rows->cursor);
    if (rows->free)
        rows->free(rows->data);
    *rows = (cimxml_rows){0};
}

typedef struct batch_writer {
    answer_stream *s;
    size_t left;
} batch_writer;

static smsprov_take write_one(void *data, cim_instance *take)
{
    batch_writer *w = data;
    w->s->rows.write(w->s->rows.data, &w->s->pending, take);
    cim_instance_free(take);
    return --w->left > 0 ? SMSPROV_TAKE_NEXT : SMSPROV_TAKE_STOP;
}

/* Refills pending with the next batch (and the end after the last);
 * false when the cursor fails. */
static bool refill(answer_stream *s)
{
    s->pending.len = 0;
    s->sent = 0;
    batch_writer w = {s, STREAM_BATCH};
    bool end = false;
    smsprov_error err = {0};
    if (smsprov_cursor_next(s->rows.cursor, STREAM_BATCH, write_one, &w, &end, &err) !=
        SMSPROV_OK) {
        /* The status line is gone; all that is left is to cut the answer. */
        SMSPROV_LOG(s->log, SMSPROV_LOG_WARNING, "CIM-XML %s stopped mid-answer: %s", s->method,
                    err.description ? err.description : "the database failed");
        smsprov_error_clear(&err);
        return false;
    }
    if (end) {
        cim_buf_append(&s->pending, s->suffix);
        s->phase = PHASE_DONE;
    }
    return true;
}

static long read_answer(void *data, char *buf, size_t max)
{
    answer_stream *s = data;
    while (s->sent == s->pending.len) {
        if (s->phase == PHASE_DONE)
            return 0;
        if (!refill(s))
            return -1;
    }
    size_t n = s->pending.len - s->sent;
    if (n > max)
        n = max;
    memcpy(buf, s->pending.data + s->sent, n);
    s->sent += n;
    return (long)n;
}

static void free_answer(void *data)
{
    answer_stream *s = data;
    cimxml_rows_clear(&s->rows);
    cim_buf_clear(&s->pending);
    free(s->suffix);
    free(s->method);
    free(s);
}

void cimxml_stream_answer(const char *message_id, const char *method, cimxml_rows *rows,
                          smsprov_log *log, cimxml_answer *out)
{
    answer_stream *s = cim_xcalloc(1, sizeof *s);
    s->rows = *rows;
    *rows = (cimxml_rows){0};
    s->log = log;
    s->method = cim_xstrdup(method);
    cimxml_response_begin(&s->pending, message_id, true, method);
    cim_buf_append(&s->pending, "<IRETURNVALUE>");
    cim_buf end = {0};
    cim_buf_append(&end, "</IRETURNVALUE>");
    cimxml_response_end(&end, true);
    s->suffix = cim_buf_take(&end);
    out->status = 200;
    out->content_type = CIMXML_XML_CONTENT_TYPE;
    out->stream = read_answer;
    out->stream_free = free_answer;
    out->stream_data = s;
}
