#include "kvconf.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void kv_init(kv_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
}

/* Copy [start, end) into dst without surrounding whitespace. */
static int copy_trimmed(char *dst, size_t cap, const char *start, const char *end)
{
    while (start < end && isspace((unsigned char)*start))
        start++;
    while (end > start && isspace((unsigned char)end[-1]))
        end--;
    size_t len = (size_t)(end - start);
    if (len >= cap)
        return -1;
    memcpy(dst, start, len);
    dst[len] = '\0';
    return 0;
}

static int find_index(const kv_config *cfg, const char *key)
{
    for (size_t i = 0; i < cfg->count; i++) {
        if (strcmp(cfg->entries[i].key, key) == 0)
            return (int)i;
    }
    return -1;
}

static void parse_line(kv_config *cfg, const char *line, const char *end)
{
    const char *p = line;
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (p == end || *p == '#' || *p == ';')
        return;

    const char *eq = memchr(p, '=', (size_t)(end - p));
    if (eq == NULL) {
        cfg->errors++;
        return;
    }
    char key[KV_KEY_MAX];
    char value[KV_VAL_MAX];
    if (copy_trimmed(key, sizeof(key), p, eq) != 0 || key[0] == '\0' ||
        copy_trimmed(value, sizeof(value), eq + 1, end) != 0) {
        cfg->errors++;
        return;
    }

    int idx = find_index(cfg, key);
    if (idx < 0) {
        if (cfg->count >= KV_MAX_ENTRIES) {
            cfg->errors++;
            return;
        }
        idx = (int)cfg->count++;
        memcpy(cfg->entries[idx].key, key, sizeof(key));
    }
    memcpy(cfg->entries[idx].value, value, sizeof(value));
}

size_t kv_parse(kv_config *cfg, const char *text)
{
    const char *line = text;
    while (*line != '\0') {
        const char *nl = strchr(line, '\n');
        const char *end = nl ? nl : line + strlen(line);
        parse_line(cfg, line, end);
        line = nl ? nl + 1 : end;
    }
    return cfg->count;
}

const char *kv_get(const kv_config *cfg, const char *key)
{
    int idx = find_index(cfg, key);
    return idx < 0 ? NULL : cfg->entries[idx].value;
}

long kv_get_int(const kv_config *cfg, const char *key, long def)
{
    const char *v = kv_get(cfg, key);
    if (v == NULL || *v == '\0')
        return def;
    char *endp;
    errno = 0;
    long n = strtol(v, &endp, 0);
    if (errno != 0 || *endp != '\0')
        return def;
    return n;
}

int kv_get_port(const kv_config *cfg, const char *key, int def)
{
    long n = kv_get_int(cfg, key, -1);
    if (n == -1)
        return def;
    return (int)n;
}

int kv_get_bool(const kv_config *cfg, const char *key, int def)
{
    static const char *truthy[] = {"1", "true", "yes", "on"};
    static const char *falsy[] = {"0", "false", "no", "off"};
    const char *v = kv_get(cfg, key);
    if (v == NULL)
        return def;
    for (size_t i = 0; i < sizeof(truthy) / sizeof(truthy[0]); i++) {
        if (strcasecmp(v, truthy[i]) == 0)
            return 1;
        if (strcasecmp(v, falsy[i]) == 0)
            return 0;
    }
    return def;
}

size_t kv_get_copy(const kv_config *cfg, const char *key, char *buf, size_t bufsize)
{
    const char *v = kv_get(cfg, key);
    if (v == NULL || bufsize == 0)
        return 0;
    strncpy(buf, v, bufsize - 1);
    buf[bufsize - 1] = '\0';
    return strlen(buf);
}
