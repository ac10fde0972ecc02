#ifndef STRMAP_H
#define STRMAP_H

#include <stddef.h>

/* Chained hash table mapping strings to counters (e.g. per-endpoint hits). */
typedef struct strmap_entry {
    char *key;
    long value;
    unsigned hash;
    struct strmap_entry *next;
} strmap_entry;

typedef struct {
    strmap_entry **buckets;
    size_t cap; /* always a power of two */
    size_t count;
} strmap;

int sm_init(strmap *m, size_t initial_cap);
void sm_free(strmap *m);
/* Insert or overwrite. Returns 0, or -1 when out of memory. */
int sm_put(strmap *m, const char *key, long value);
long *sm_get(const strmap *m, const char *key);
/* Returns 1 if the key was removed, 0 if it was absent. */
int sm_remove(strmap *m, const char *key);
size_t sm_count(const strmap *m);
size_t sm_capacity(const strmap *m);
void sm_foreach(const strmap *m, void (*cb)(const char *key, long value, void *ctx), void *ctx);

#endif
