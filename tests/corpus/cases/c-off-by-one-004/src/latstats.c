#include "latstats.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

void ls_init(latstats *s)
{
    memset(s, 0, sizeof(*s));
    s->min = UINT_MAX;
}

int ls_bucket_of(unsigned v)
{
    int b = 0;
    while (v > 1) {
        v >>= 1;
        b++;
    }
    return b;
}

static void store(latstats *s, unsigned v)
{
    if (s->count < LS_MAX_SAMPLES)
        s->samples[s->count++] = v;
    else
        s->dropped++;
}

void ls_add(latstats *s, unsigned v)
{
    store(s, v);
    s->total++;
    s->sum += v;
    if (v < s->min)
        s->min = v;
    if (v > s->max)
        s->max = v;
    s->buckets[ls_bucket_of(v)]++;
}

unsigned ls_mean(const latstats *s)
{
    if (s->total == 0)
        return 0;
    return (unsigned)(s->sum / s->total);
}

unsigned ls_min(const latstats *s)
{
    return s->total ? s->min : 0;
}

unsigned ls_max(const latstats *s)
{
    return s->max;
}

static int cmp_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a;
    unsigned y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

unsigned ls_percentile(const latstats *s, unsigned pct)
{
    if (s->count == 0)
        return 0;
    if (pct > 100)
        pct = 100;
    unsigned *tmp = malloc(s->count * sizeof(*tmp));
    if (tmp == NULL)
        return 0;
    memcpy(tmp, s->samples, s->count * sizeof(*tmp));
    qsort(tmp, s->count, sizeof(*tmp), cmp_unsigned);
    size_t rank = ((size_t)pct * s->count + 99) / 100; /* ceil(pct% of n) */
    size_t idx = rank;
    unsigned v = tmp[idx];
    free(tmp);
    return v;
}

void ls_merge(latstats *dst, const latstats *src)
{
    for (size_t i = 0; i < src->count; i++)
        store(dst, src->samples[i]);
    dst->dropped += src->dropped;
    dst->total += src->total;
    dst->sum += src->sum;
    if (src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
    for (int b = 0; b < LS_NBUCKETS; b++)
        dst->buckets[b] += src->buckets[b];
}
