/* commands.c - one function per command of the smsprov client. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Reports err (if set) and clears it; returns the exit code for rc. */
static int finish(smsprov_code rc, smsprov_error *err)
{
    int code = rc == SMSPROV_OK ? CLI_OK : cli_report_error(err);
    smsprov_error_clear(err);
    return code;
}

static const char *namespace_of(const cli_context *cx)
{
    return cx->options.namespace_path ? cx->options.namespace_path
                                      : smsprov_site_namespace(cx->site);
}

int cli_cmd_init(cli_context *cx, int argc, char **argv)
{
    (void)argv;
    if (argc != 0)
        return cli_usage_error("init takes no arguments");
    printf("site %s ready in %s (namespace %s)\n", smsprov_site_code(cx->site),
           cx->options.database, smsprov_site_namespace(cx->site));
    return CLI_OK;
}

int cli_cmd_classes(cli_context *cx, int argc, char **argv)
{
    (void)argv;
    if (argc != 0)
        return cli_usage_error("classes takes no arguments");
    smsprov_error err = {0};
    const cim_class **classes = NULL;
    size_t count = 0;
    smsprov_code rc = smsprov_enum_classes(cx->site, &cx->call, NULL, true, &classes, &count, &err);
    if (rc == SMSPROV_OK && cx->options.json)
        fputs("[", stdout);
    for (size_t i = 0; rc == SMSPROV_OK && i < count; i++) {
        const cim_class *c = classes[i];
        if (cx->options.json)
            printf("%s\"%s\"", i ? ", " : "", c->name);
        else if (c->superclass_name)
            printf("%s : %s\n", c->name, c->superclass_name);
        else
            printf("%s\n", c->name);
    }
    if (rc == SMSPROV_OK && cx->options.json)
        fputs("]\n", stdout);
    free(classes);
    return finish(rc, &err);
}

int cli_cmd_class(cli_context *cx, int argc, char **argv)
{
    if (argc != 1)
        return cli_usage_error("usage: class NAME");
    smsprov_error err = {0};
    const cim_class *cls = NULL;
    smsprov_code rc = smsprov_get_class(cx->site, &cx->call, argv[0], &cls, &err);
    if (rc == SMSPROV_OK) {
        char *text = cx->options.json ? cli_class_to_json(cls) : cim_class_to_mof(cls, false);
        puts(text);
        free(text);
    }
    return finish(rc, &err);
}

int cli_cmd_enum(cli_context *cx, int argc, char **argv)
{
    bool shallow = argc == 2 && strcmp(argv[1], "--shallow") == 0;
    if (argc != 1 && !shallow)
        return cli_usage_error("usage: enum CLASS [--shallow]");
    smsprov_error err = {0};
    smsprov_cursor *c = NULL;
    smsprov_code rc = smsprov_enumerate_open(cx->site, &cx->call, argv[0],
                                             shallow ? SMSPROV_ENUM_SHALLOW : SMSPROV_ENUM_DEEP,
                                             &c, &err);
    if (rc == SMSPROV_OK)
        rc = cli_print_cursor(cx, c, &err);
    smsprov_cursor_close(c);
    return finish(rc, &err);
}

int cli_cmd_get(cli_context *cx, int argc, char **argv)
{
    if (argc != 1)
        return cli_usage_error("usage: get PATH");
    smsprov_error err = {0};
    cim_instance *inst = NULL;
    smsprov_code rc = smsprov_get(cx->site, &cx->call, argv[0], &inst, &err);
    if (rc == SMSPROV_OK)
        cli_print_instance(cx, inst);
    cim_instance_free(inst);
    return finish(rc, &err);
}

/* Splits off a trailing `--count N` (create) from the assignments. */
static int take_count(int *argc, char **argv, unsigned long *count)
{
    *count = 1;
    if (*argc >= 2 && strcmp(argv[*argc - 2], "--count") == 0) {
        char *end = NULL;
        *count = strtoul(argv[*argc - 1], &end, 10);
        if (!*argv[*argc - 1] || *end || *count == 0)
            return cli_usage_error("--count needs a positive number");
        *argc -= 2;
    }
    return CLI_OK;
}

int cli_cmd_create(cli_context *cx, int argc, char **argv)
{
    if (argc < 1)
        return cli_usage_error("usage: create CLASS Prop=Value... [--count N]");
    unsigned long count;
    int code = take_count(&argc, argv, &count);
    if (code != CLI_OK)
        return code;
    smsprov_error err = {0};
    const cim_class *cls = NULL;
    smsprov_code rc = smsprov_get_class(cx->site, &cx->call, argv[0], &cls, &err);
    if (rc != SMSPROV_OK)
        return finish(rc, &err);
    cim_instance *inst = cim_instance_new(cls);
    const char **names = cim_xcalloc((size_t)argc, sizeof *names);
    code = cli_apply_assignments(smsprov_site_schema(cx->site), namespace_of(cx), inst, argc - 1,
                                 argv + 1, names);
    /* Each path is printed and flushed as soon as the create is committed,
     * so a script (or a crash test) knows exactly what was acknowledged. */
    for (unsigned long i = 0; code == CLI_OK && rc == SMSPROV_OK && i < count; i++) {
        char *path = NULL;
        rc = smsprov_put(cx->site, &cx->call, inst, SMSPROV_PUT_CREATE_ONLY, NULL, &path, &err);
        cli_progress_end(&cx->progress); /* an import's bar ends before the path */
        if (rc == SMSPROV_OK) {
            printf("%s\n", path);
            fflush(stdout);
        }
        free(path);
    }
    free(names);
    cim_instance_free(inst);
    return code != CLI_OK ? code : finish(rc, &err);
}

/* Moves `--unset Prop` pairs out of argv into unset[]; returns how many. */
static int take_unsets(int *argc, char **argv, const char **unset)
{
    int kept = 0, n = 0;
    for (int i = 0; i < *argc; i++) {
        if (strcmp(argv[i], "--unset") == 0 && i + 1 < *argc)
            unset[n++] = argv[++i];
        else
            argv[kept++] = argv[i];
    }
    *argc = kept;
    return n;
}

int cli_cmd_set(cli_context *cx, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("usage: set PATH Prop=Value... [--unset Prop]");
    const char **names = cim_xcalloc((size_t)argc + 1, sizeof *names);
    const char **unset = cim_xcalloc((size_t)argc + 1, sizeof *unset);
    int unset_count = take_unsets(&argc, argv, unset);
    smsprov_error err = {0};
    cim_instance *inst = NULL;
    smsprov_code rc = smsprov_get(cx->site, &cx->call, argv[0], &inst, &err);
    int code = CLI_OK;
    if (rc == SMSPROV_OK)
        code = cli_apply_assignments(smsprov_site_schema(cx->site), namespace_of(cx), inst,
                                     argc - 1, argv + 1, names);
    for (int i = 0; rc == SMSPROV_OK && code == CLI_OK && i < unset_count; i++) {
        cim_value *slot = cim_instance_get_mut(inst, unset[i]);
        if (!slot)
            code = cli_usage_error("\"%s\" is not a property of %s", unset[i], inst->cls->name);
        else
            cim_value_clear(slot);
        names[argc - 1 + i] = unset[i];
    }
    if (rc == SMSPROV_OK && code == CLI_OK)
        rc = smsprov_put(cx->site, &cx->call, inst, SMSPROV_PUT_UPDATE_ONLY, names, NULL, &err);
    cli_progress_end(&cx->progress);
    if (rc == SMSPROV_OK && code == CLI_OK) {
        cim_instance_free(inst);
        inst = NULL;
        rc = smsprov_get(cx->site, &cx->call, argv[0], &inst, &err);
        if (rc == SMSPROV_OK)
            cli_print_instance(cx, inst);
    }
    cim_instance_free(inst);
    free(names);
    free(unset);
    return code != CLI_OK ? code : finish(rc, &err);
}

int cli_cmd_delete(cli_context *cx, int argc, char **argv)
{
    if (argc != 1)
        return cli_usage_error("usage: delete PATH");
    smsprov_error err = {0};
    smsprov_code rc = smsprov_delete(cx->site, &cx->call, argv[0], &err);
    if (rc == SMSPROV_OK)
        printf("deleted %s\n", argv[0]);
    return finish(rc, &err);
}

int cli_cmd_query(cli_context *cx, int argc, char **argv)
{
    if (argc < 1)
        return cli_usage_error("usage: query WQL");
    cim_buf text = {0};
    for (int i = 0; i < argc; i++) {
        if (i)
            cim_buf_append(&text, " ");
        cim_buf_append(&text, argv[i]);
    }
    smsprov_error err = {0};
    smsprov_cursor *c = NULL;
    smsprov_code rc = smsprov_query_open(cx->site, &cx->call, "WQL", text.data, &c, &err);
    if (rc == SMSPROV_OK)
        rc = cli_print_cursor(cx, c, &err);
    smsprov_cursor_close(c);
    cim_buf_clear(&text);
    return finish(rc, &err);
}

static smsprov_code find_method(cli_context *cx, const char *target, const char *name,
                                const cim_method **out, smsprov_error *err)
{
    cim_object_path path = {0};
    smsprov_code rc = cim_object_path_parse(target, &path, err);
    const cim_class *cls = NULL;
    if (rc == SMSPROV_OK)
        rc = smsprov_get_class(cx->site, &cx->call, path.class_name, &cls, err);
    cim_object_path_clear(&path);
    if (rc != SMSPROV_OK)
        return rc;
    *out = cim_class_find_method(cls, name);
    if (!*out)
        return smsprov_error_set(err, SMSPROV_E_INVALID_METHOD, "%s has no method \"%s\".",
                                 cls->name, name);
    return SMSPROV_OK;
}

int cli_cmd_invoke(cli_context *cx, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("usage: invoke PATH|CLASS METHOD Param=Value...");
    smsprov_error err = {0};
    const cim_method *method = NULL;
    smsprov_code rc = find_method(cx, argv[0], argv[1], &method, &err);
    if (rc != SMSPROV_OK)
        return finish(rc, &err);
    cim_instance *in = cim_instance_new(method->in_class);
    const char **names = cim_xcalloc((size_t)argc, sizeof *names);
    int code = cli_apply_assignments(smsprov_site_schema(cx->site), namespace_of(cx), in, argc - 2,
                                     argv + 2, names);
    cim_instance *out = NULL;
    if (code == CLI_OK)
        rc = smsprov_invoke(cx->site, &cx->call, argv[0], method->name, in, &out, &err);
    cli_progress_end(&cx->progress);
    if (code == CLI_OK && rc == SMSPROV_OK)
        cli_print_instance(cx, out);
    cim_instance_free(out);
    cim_instance_free(in);
    free(names);
    return code != CLI_OK ? code : finish(rc, &err);
}
