/*
 * mkwinpe - makes synthetic WinPE boot images, a Windows ADK tree and a
 * ConfigMgr install tree, from nothing, for tests and the demo site.
 *
 *   mkwinpe image OUT.wim --arch x64 [--version 10.0.22621.1] [--lang en-US]
 *                 [--lcid 0409] [--name ...] [--description ...]
 *                 [--payload-mb N] [--second-image]
 *   mkwinpe adk DIR [--arches x86,x64,arm64]
 *   mkwinpe configmgr DIR [--arches x86,x64,arm64]
 *   mkwinpe all DIR
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osd/image_info.h"
#include "osd/synthetic.h"

#define EXIT_USAGE 2

static void usage(FILE *out)
{
    fputs("usage:\n"
          "  mkwinpe image OUT.wim --arch x86|x64|arm64|ia64 [--version 10.0.22621.1]\n"
          "                [--lang en-US] [--lcid 0409] [--name NAME] [--description TEXT]\n"
          "                [--payload-mb N] [--second-image]\n"
          "  mkwinpe install OUT.wim      (an OS image: 1 Windows 11 Enterprise x64 en-US,\n"
          "                               2 Windows 10 Pro x86 de-DE, 3 Windows 11 Pro arm64 fr-FR)\n"
          "  mkwinpe adk DIR [--arches x86,x64,arm64]\n"
          "  mkwinpe configmgr DIR [--arches x86,x64,arm64]\n"
          "  mkwinpe all DIR\n"
          "  mkwinpe --help\n"
          "Existing files of the adk, configmgr and all trees are kept.\n",
          out);
}

static int fail(const smsprov_error *err)
{
    fprintf(stderr, "mkwinpe: %s\n", err->description ? err->description : "failed");
    return EXIT_FAILURE;
}

static int bad_usage(const char *message, const char *value)
{
    fprintf(stderr, "mkwinpe: %s%s%s\n", message, value ? ": " : "", value ? value : "");
    usage(stderr);
    return EXIT_USAGE;
}

static bool parse_unsigned(const char *text, unsigned long max, int base, unsigned long *out)
{
    char *end;
    if (!text || !*text || *text == '-')
        return false;
    unsigned long n = strtoul(text, &end, base);
    if (*end != '\0' || n > max)
        return false;
    *out = n;
    return true;
}

/* "x86,x64" into a set of OSD_ARCH_BIT. */
static bool parse_arches(const char *text, unsigned *out)
{
    char *copy = strdup(text);
    char *saveptr = NULL;
    unsigned set = 0;
    bool ok = copy != NULL;
    for (char *name = ok ? strtok_r(copy, ",", &saveptr) : NULL; name;
         name = strtok_r(NULL, ",", &saveptr)) {
        osd_arch arch;
        if (!osd_arch_parse(name, &arch)) {
            ok = false;
            break;
        }
        set |= OSD_ARCH_BIT(arch);
    }
    free(copy);
    *out = set;
    return ok && set != 0;
}

static void print_image_summary(const char *path)
{
    osd_image_info info;
    smsprov_error err = {0};
    if (osd_read_image_info(path, 1, &info, &err) != SMSPROV_OK) {
        fail(&err);
        smsprov_error_clear(&err);
        return;
    }
    char *languages = osd_image_language_list(&info);
    printf("%s: %s, %s, %s, %s, %llu bytes\n", path, info.name ? info.name : "",
           info.architecture ? info.architecture : "?", info.os_version ? info.os_version : "?",
           languages ? languages : "?", (unsigned long long)info.total_bytes);
    free(languages);
    osd_image_info_clear(&info);
}

static int command_image(int argc, char **argv)
{
    static const struct option options[] = {
        {"arch", required_argument, NULL, 'a'},    {"version", required_argument, NULL, 'v'},
        {"lang", required_argument, NULL, 'l'},    {"lcid", required_argument, NULL, 'c'},
        {"name", required_argument, NULL, 'n'},    {"description", required_argument, NULL, 'd'},
        {"payload-mb", required_argument, NULL, 'p'},
        {"second-image", no_argument, NULL, 's'},  {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    osd_winpe_spec spec = {0};
    bool have_arch = false;
    unsigned long n;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (opt) {
        case 'a':
            if (!osd_arch_parse(optarg, &spec.arch))
                return bad_usage("--arch must be x86, x64, arm64 or ia64", optarg);
            have_arch = true;
            break;
        case 'v': spec.version = optarg; break;
        case 'l': spec.language = optarg; break;
        case 'c':
            if (!parse_unsigned(optarg, 0xFFFF, 16, &n) || n == 0)
                return bad_usage("--lcid must be a hexadecimal LCID such as 0409", optarg);
            spec.lcid = (uint16_t)n;
            break;
        case 'n': spec.name = optarg; break;
        case 'd': spec.description = optarg; break;
        case 'p':
            if (!parse_unsigned(optarg, 1u << 20, 10, &n))
                return bad_usage("--payload-mb must be a number of MiB", optarg);
            spec.payload_mb = (unsigned)n;
            break;
        case 's': spec.second_image = true; break;
        case 'h': usage(stdout); return EXIT_SUCCESS;
        default: return bad_usage("unknown option for image", NULL);
        }
    }
    if (optind != argc - 1)
        return bad_usage("image needs exactly one output file", NULL);
    if (!have_arch)
        return bad_usage("image needs --arch", NULL);
    smsprov_error err = {0};
    if (osd_synthetic_winpe_write(argv[optind], &spec, &err) != SMSPROV_OK) {
        int rc = fail(&err);
        smsprov_error_clear(&err);
        return rc;
    }
    print_image_summary(argv[optind]);
    return EXIT_SUCCESS;
}

typedef smsprov_code (*tree_writer)(const char *dir, unsigned arches, smsprov_error *err);

static int command_tree(const char *command, tree_writer write, int argc, char **argv)
{
    static const struct option options[] = {
        {"arches", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    unsigned arches = OSD_ARCH_SET_ADK;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (opt) {
        case 'a':
            if (!parse_arches(optarg, &arches))
                return bad_usage("--arches must list x86, x64 and/or arm64, comma-separated",
                                 optarg);
            break;
        case 'h': usage(stdout); return EXIT_SUCCESS;
        default: return bad_usage("unknown option", command);
        }
    }
    if (optind != argc - 1)
        return bad_usage("give exactly one directory to", command);
    smsprov_error err = {0};
    if (write(argv[optind], arches, &err) != SMSPROV_OK) {
        int rc = fail(&err);
        smsprov_error_clear(&err);
        return rc;
    }
    printf("%s tree ready in %s\n", command, argv[optind]);
    return EXIT_SUCCESS;
}

static int command_all(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    if (argc != 2 || argv[1][0] == '-')
        return bad_usage("all needs exactly one directory", NULL);
    smsprov_error err = {0};
    if (osd_synthetic_demo_write(argv[1], &err) != SMSPROV_OK) {
        int rc = fail(&err);
        smsprov_error_clear(&err);
        return rc;
    }
    printf("demo inputs ready in %s (adk, configmgr, images)\n", argv[1]);
    return EXIT_SUCCESS;
}

static int command_install(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    if (argc != 2 || argv[1][0] == '-')
        return bad_usage("install needs exactly one output file", NULL);
    smsprov_error err = {0};
    if (osd_synthetic_install_default_write(argv[1], &err) != SMSPROV_OK) {
        int rc = fail(&err);
        smsprov_error_clear(&err);
        return rc;
    }
    print_image_summary(argv[1]);
    return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return bad_usage("no command given", NULL);
    const char *command = argv[1];
    /* Each command parses its own options; argv[0] becomes the command. */
    if (strcmp(command, "image") == 0)
        return command_image(argc - 1, argv + 1);
    if (strcmp(command, "install") == 0)
        return command_install(argc - 1, argv + 1);
    if (strcmp(command, "adk") == 0)
        return command_tree(command, osd_synthetic_adk_write, argc - 1, argv + 1);
    if (strcmp(command, "configmgr") == 0)
        return command_tree(command, osd_synthetic_configmgr_write, argc - 1, argv + 1);
    if (strcmp(command, "all") == 0)
        return command_all(argc - 1, argv + 1);
    if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 ||
        strcmp(command, "help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    return bad_usage("unknown command", command);
}
