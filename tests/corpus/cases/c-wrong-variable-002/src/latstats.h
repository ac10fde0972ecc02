#ifndef LATSTATS_H
#define LATSTATS_H

#include <stddef.h>

#define LS_MAX_SAMPLES 1024
#define LS_NBUCKETS 32

/* Request-latency aggregation for one reporting window (values in microseconds). */
typedef struct {
    unsigned samples[LS_MAX_SAMPLES]; /* first LS_MAX_SAMPLES values, for percentiles */
    size_t count;                     /* values stored in samples[] */
    size_t dropped;                   /* values not stored (window full) */
    unsigned long long total;         /* all values seen */
    unsigned long long sum;
    unsigned min;
    unsigned max;
    unsigned buckets[LS_NBUCKETS]; /* log2 histogram: bucket k holds [2^k, 2^(k+1)); 0 and 1 in bucket 0 */
} latstats;

void ls_init(latstats *s);
void ls_add(latstats *s, unsigned v);
int ls_bucket_of(unsigned v);
unsigned ls_mean(const latstats *s);
unsigned ls_min(const latstats *s);
unsigned ls_max(const latstats *s);
/* Nearest-rank percentile over the stored samples; pct is clamped to 0..100. 0 when empty. */
unsigned ls_percentile(const latstats *s, unsigned pct);
void ls_merge(latstats *dst, const latstats *src);

#endif
