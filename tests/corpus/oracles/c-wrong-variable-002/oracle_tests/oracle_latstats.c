#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                      \
            failures++;                                                    \
        }                                                                  \
    } while (0)
#define ORACLE_MAIN_END()                                                  \
    do {                                                                   \
        if (failures) {                                                    \
            fprintf(stderr, "oracle: %d check(s) failed\n", failures);    \
            return 1;                                                      \
        }                                                                  \
        printf("oracle passed\n");                                         \
        return 0;                                                          \
    } while (0)

#include <limits.h>
#include "latstats.h"

static int cmpu(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

static void o_against_reference(void)
{
    static latstats s;
    static unsigned ref[LS_MAX_SAMPLES];
    unsigned seed = 99;
    for (size_t n = 1; n <= 300; n += 37) {
        ls_init(&s);
        unsigned long long sum = 0;
        unsigned mn = UINT_MAX, mx = 0;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1664525u + 1013904223u;
            unsigned v = seed >> (seed & 15);
            ref[i] = v;
            sum += v;
            if (v < mn) mn = v;
            if (v > mx) mx = v;
            ls_add(&s, v);
        }
        qsort(ref, n, sizeof(ref[0]), cmpu);
        CHECK(ls_mean(&s) == (unsigned)(sum / n));
        CHECK(ls_min(&s) == mn && ls_max(&s) == mx);
        for (unsigned p = 0; p <= 100; p += 5) {
            size_t rank = (p * n + 99) / 100;
            CHECK(ls_percentile(&s, p) == ref[rank ? rank - 1 : 0]);
        }
        CHECK(ls_percentile(&s, 1000) == mx);
        CHECK(ls_percentile(&s, UINT_MAX) == mx);
    }
}

static void o_overflow_window(void)
{
    static latstats s;
    ls_init(&s);
    for (unsigned i = 0; i < LS_MAX_SAMPLES + 10; i++)
        ls_add(&s, i);
    CHECK(s.count == LS_MAX_SAMPLES && s.dropped == 10);
    CHECK(s.total == LS_MAX_SAMPLES + 10);
    CHECK(ls_max(&s) == LS_MAX_SAMPLES + 9);
    CHECK(ls_percentile(&s, 100) == LS_MAX_SAMPLES - 1);
}

static void o_buckets(void)
{
    CHECK(ls_bucket_of(0) == 0);
    CHECK(ls_bucket_of(3) == 1);
    CHECK(ls_bucket_of(4) == 2);
    CHECK(ls_bucket_of(UINT_MAX) == 31);
    CHECK(ls_bucket_of(1u << 31) == 31);
    static latstats s;
    ls_init(&s);
    unsigned vals[] = {0, 1, 0, UINT_MAX, 64, 127};
    for (size_t i = 0; i < 6; i++)
        ls_add(&s, vals[i]);
    CHECK(s.buckets[0] == 3 && s.buckets[31] == 1 && s.buckets[6] == 2);
    CHECK(ls_min(&s) == 0 && ls_max(&s) == UINT_MAX);
}

static void o_merge(void)
{
    static latstats a, b, e;
    ls_init(&a);
    ls_init(&b);
    ls_init(&e);
    CHECK(ls_mean(&e) == 0 && ls_min(&e) == 0 && ls_max(&e) == 0 && ls_percentile(&e, 50) == 0);
    ls_add(&b, 500);
    ls_add(&b, 700);
    ls_merge(&a, &b);
    CHECK(ls_min(&a) == 500 && ls_max(&a) == 700 && ls_mean(&a) == 600);
    ls_merge(&a, &e);
    CHECK(ls_min(&a) == 500 && ls_max(&a) == 700 && a.total == 2);
    ls_add(&e, 100);
    ls_add(&e, 900);
    ls_merge(&a, &e);
    CHECK(ls_min(&a) == 100 && ls_max(&a) == 900);
    CHECK(ls_percentile(&a, 50) == 500);
    ls_init(&b);
    ls_merge(&e, &b);
    CHECK(ls_min(&e) == 100 && ls_max(&e) == 900);
}

static void o_single_and_large(void)
{
    static latstats s;
    ls_init(&s);
    ls_add(&s, 42);
    CHECK(ls_min(&s) == 42 && ls_max(&s) == 42 && ls_mean(&s) == 42);
    CHECK(ls_percentile(&s, 0) == 42 && ls_percentile(&s, 100) == 42);
    ls_init(&s);
    ls_add(&s, 4000000000u);
    ls_add(&s, 10);
    ls_add(&s, 3000000000u);
    CHECK(ls_percentile(&s, 34) == 3000000000u);
    CHECK(ls_percentile(&s, 33) == 10);
}

int main(void)
{
    o_against_reference();
    o_overflow_window();
    o_buckets();
    o_merge();
    o_single_and_large();
    ORACLE_MAIN_END();
}
