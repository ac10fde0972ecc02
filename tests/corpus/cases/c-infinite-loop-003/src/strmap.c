#include "strmap.h"

#include <stdlib.h>
#include <string.h>

static unsigned fnv1a(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

int sm_init(strmap *m, size_t initial_cap)
{
    size_t cap = 8;
    while (cap < initial_cap)
        cap <<= 1;
    m->buckets = calloc(cap, sizeof(*m->buckets));
    if (m->buckets == NULL)
        return -1;
    m->cap = cap;
    m->count = 0;
    return 0;
}

void sm_free(strmap *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        strmap_entry *e = m->buckets[i];
        while (e != NULL) {
            strmap_entry *next = e->next;
            free(e->key);
            free(e);
            e = next;
        }
    }
    free(m->buckets);
    m->buckets = NULL;
    m->cap = m->count = 0;
}

static int grow(strmap *m)
{
    size_t new_cap = m->cap * 2;
    strmap_entry **nb = calloc(new_cap, sizeof(*nb));
    if (nb == NULL)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        strmap_entry *e = m->buckets[i];
        while (e != NULL) {
            strmap_entry *next = e->next;
            size_t idx = e->hash & (new_cap - 1);
            e->next = nb[idx];
            nb[idx] = e;
            e = next;
        }
    }
    free(m->buckets);
    m->buckets = nb;
    m->cap = new_cap;
    return 0;
}

int sm_put(strmap *m, const char *key, long value)
{
    unsigned h = fnv1a(key);
    for (strmap_entry *e = m->buckets[h & (m->cap - 1)]; e != NULL; e = e->next) {
        if (e->hash == h && strcmp(e->key, key) == 0) {
            e->value = value;
            return 0;
        }
    }
    /* keep the load factor at or below 3/4 */
    if ((m->count + 1) * 4 > m->cap * 3 && grow(m) != 0)
        return -1;
    strmap_entry *e = malloc(sizeof(*e));
    if (e == NULL)
        return -1;
    e->key = strdup(key);
    if (e->key == NULL) {
        free(e);
        return -1;
    }
    e->value = value;
    e->hash = h;
    size_t idx = h & (m->cap - 1);
    e->next = m->buckets[idx];
    m->buckets[idx] = e;
    m->count++;
    return 0;
}

long *sm_get(const strmap *m, const char *key)
{
    unsigned h = fnv1a(key);
    for (strmap_entry *e = m->buckets[h & (m->cap - 1)]; e != NULL; e = e->next) {
        if (e->hash == h && strcmp(e->key, key) == 0)
            return &e->value;
    }
    return NULL;
}

int sm_remove(strmap *m, const char *key)
{
    unsigned h = fnv1a(key);
    size_t idx = h & (m->cap - 1);
    strmap_entry *prev = NULL;
    for (strmap_entry *e = m->buckets[idx]; e != NULL; prev = e, e = e->next) {
        if (e->hash == h && strcmp(e->key, key) == 0) {
            if (prev != NULL)
                prev->next = e->next;
            else
                m->buckets[idx] = e->next;
            free(e->key);
            free(e);
            m->count--;
            return 1;
        }
    }
    return 0;
}

size_t sm_count(const strmap *m)
{
    return m->count;
}

size_t sm_capacity(const strmap *m)
{
    return m->cap;
}

void sm_foreach(const strmap *m, void (*cb)(const char *key, long value, void *ctx), void *ctx)
{
    for (size_t i = 0; i < m->cap; i++) {
        for (const strmap_entry *e = m->buckets[i]; e != NULL; e = m->buckets[i]->next)
            cb(e->key, e->value, ctx);
    }
}
