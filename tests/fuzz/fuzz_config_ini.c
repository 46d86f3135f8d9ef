/* fuzz_config_ini.c - libFuzzer target for the server's INI file: every
 * input is read as smsprovd's configuration (on top of the defaults, with
 * relative paths resolved against a folder), then checked as the server
 * checks it before starting. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    smsprov_config cfg;
    smsprov_config_init(&cfg);
    cfg.source_dir = strdup("/etc/smsprov");
    smsprov_error err = {0};
    if (smsprov_config_load_text(&cfg, text, "fuzz.ini", &err) == SMSPROV_OK) {
        if (smsprov_config_check(&cfg, &err) != SMSPROV_OK && !err.description)
            abort();
        smsprov_site_config site;
        smsprov_config_site(&cfg, &site);
    } else if (!err.description || err.code != SMSPROV_E_INVALID_PARAMETER) {
        fprintf(stderr, "fuzz_config_ini: a refused file without a sentence\n");
        abort();
    }
    smsprov_error_clear(&err);
    smsprov_config_clear(&cfg);
    free(text);
    return 0;
}
