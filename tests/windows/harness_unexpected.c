/* harness_unexpected.c - the record of calls the DLL made outside the
 * provider contract.  The fakes answer such calls with an error; the tests
 * then fail in teardown with the names of the calls. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define KEPT_NAMES 16

static CRITICAL_SECTION lock;
static INIT_ONCE lock_once = INIT_ONCE_STATIC_INIT;
static long count;
static const char *names[KEPT_NAMES];

static BOOL CALLBACK init_lock(INIT_ONCE *once, void *param, void **context)
{
    (void)once;
    (void)param;
    (void)context;
    InitializeCriticalSection(&lock);
    return TRUE;
}

static void enter(void)
{
    InitOnceExecuteOnce(&lock_once, init_lock, NULL, NULL);
    EnterCriticalSection(&lock);
}

void harness_unexpected(const char *what)
{
    enter();
    if (count < KEPT_NAMES)
        names[count] = what;
    count++;
    LeaveCriticalSection(&lock);
}

long harness_unexpected_count(void)
{
    enter();
    long n = count;
    LeaveCriticalSection(&lock);
    return n;
}

char *harness_unexpected_names(void)
{
    cim_buf b = {0};
    enter();
    for (long i = 0; i < count && i < KEPT_NAMES; i++) {
        if (i)
            cim_buf_append(&b, ", ");
        cim_buf_append(&b, names[i]);
    }
    if (count > KEPT_NAMES)
        cim_buf_append(&b, ", ...");
    LeaveCriticalSection(&lock);
    return cim_buf_take(&b);
}

void harness_unexpected_reset(void)
{
    enter();
    count = 0;
    LeaveCriticalSection(&lock);
}
