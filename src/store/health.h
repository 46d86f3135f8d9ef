/*
 * store/health.h - the database files must stay where the store opened
 * them (src/store/README.md, "Database health").
 *
 * Before each transaction and before each commit the store checks, with
 * stat() only, that the database file and its -wal still are the files
 * its connections hold open, and that the -shm file SQLite maps is still
 * there, unchanged and not shorter than it was.  A database or -wal file
 * deleted or replaced under a running process would make it acknowledge
 * writes that are gone at the next start: writes are then refused.  A
 * truncated or replaced -shm file kills the process with SIGBUS at the
 * next access of the mapping: every transaction is then refused.  Either
 * state lasts until the process opens the store again, and is reported
 * once through the fault handler.
 */
#ifndef SMSPROV_STORE_HEALTH_H
#define SMSPROV_STORE_HEALTH_H

#include <stdbool.h>

#include "store/store.h"

/* Called once, from the thread that noticed, with a sentence saying what
 * happened to which file and what is refused (e.g. to log it). */
typedef void (*store_fault_fn)(void *data, const char *sentence);
void store_set_fault_handler(store *st, store_fault_fn fn, void *data);

/* NULL while the files are as the store opened them; else the sentence
 * every refused transaction fails with (valid until store_close). */
const char *store_fault(store *st);

#endif
