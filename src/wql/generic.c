/* generic.c - the class of COUNT results.  ConfigMgr answers
 * SELECT COUNT(*) with an instance of __Generic holding `uint32 Count`;
 * the class is not in any namespace's schema, so it is built here, once,
 * and lives as long as the process (results may outlive any site). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "wql/wql_internal.h"

static pthread_once_t generic_once = PTHREAD_ONCE_INIT;
static cim_class *generic_class;

static void build_generic_class(void)
{
    cim_class *cls = cim_class_new("__Generic", NULL, "");
    cim_class_add_property(cls, "Count", CIM_TYPE_UINT32, false);
    smsprov_error err = {0};
    if (cim_class_finish(cls, &err) != SMSPROV_OK) {
        /* A fixed, valid definition: failing here is a programming error. */
        fprintf(stderr, "smsprov: cannot build __Generic: %s\n", err.description);
        abort();
    }
    generic_class = cls;
}

const cim_class *wql_generic_count_class(void)
{
    pthread_once(&generic_once, build_generic_class);
    return generic_class;
}
