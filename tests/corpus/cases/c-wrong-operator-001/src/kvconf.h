#ifndef KVCONF_H
#define KVCONF_H

#include <stddef.h>

#define KV_MAX_ENTRIES 64
#define KV_KEY_MAX 32
#define KV_VAL_MAX 128

typedef struct {
    char key[KV_KEY_MAX];
    char value[KV_VAL_MAX];
} kv_entry;

typedef struct {
    kv_entry entries[KV_MAX_ENTRIES];
    size_t count;
    int errors; /* malformed lines seen while parsing */
} kv_config;

void kv_init(kv_config *cfg);
/* Parse "key = value" lines; '#' and ';' start comments. Returns entry count. */
size_t kv_parse(kv_config *cfg, const char *text);
const char *kv_get(const kv_config *cfg, const char *key);
long kv_get_int(const kv_config *cfg, const char *key, long def);
int kv_get_port(const kv_config *cfg, const char *key, int def);
int kv_get_bool(const kv_config *cfg, const char *key, int def);
/* Copy a value into buf (always NUL-terminated, truncated if needed). */
size_t kv_get_copy(const kv_config *cfg, const char *key, char *buf, size_t bufsize);

#endif
