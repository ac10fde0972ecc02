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

#include "latstats.h"

static void test_empty(void)
{
    latstats s;
    ls_init(&s);
    CHECK(ls_mean(&s) == 0);
    CHECK(ls_min(&s) == 0);
    CHECK(ls_max(&s) == 0);
    CHECK(ls_percentile(&s, 50) == 0);
}

static void test_basic(void)
{
    latstats s;
    ls_init(&s);
    for (unsigned v = 10; v >= 1; v--)
        ls_add(&s, v * 100);
    CHECK(ls_mean(&s) == 550);
    CHECK(ls_min(&s) == 100);
    CHECK(ls_max(&s) == 1000);
    CHECK(ls_percentile(&s, 50) == 500);
    CHECK(ls_percentile(&s, 90) == 900);
    CHECK(ls_percentile(&s, 100) == 1000);
    CHECK(ls_percentile(&s, 0) == 100);
}

static void test_percentile_clamp(void)
{
    latstats s;
    ls_init(&s);
    ls_add(&s, 7);
    ls_add(&s, 3);
    CHECK(ls_percentile(&s, 250) == 7);
}

static void test_buckets(void)
{
    latstats s;
    ls_init(&s);
    CHECK(ls_bucket_of(1) == 0);
    CHECK(ls_bucket_of(2) == 1);
    CHECK(ls_bucket_of(1023) == 9);
    CHECK(ls_bucket_of(1024) == 10);
    ls_add(&s, 0);
    ls_add(&s, 5);
    CHECK(s.buckets[0] == 1);
    CHECK(s.buckets[2] == 1);
}

static void test_merge(void)
{
    latstats a, b;
    ls_init(&a);
    ls_init(&b);
    ls_add(&a, 40);
    ls_add(&a, 60);
    ls_add(&b, 20);
    ls_add(&b, 80);
    ls_merge(&a, &b);
    CHECK(a.total == 4);
    CHECK(ls_mean(&a) == 50);
    CHECK(ls_min(&a) == 20);
    CHECK(ls_max(&a) == 80);
    CHECK(ls_percentile(&a, 50) == 40);
}

int main(void)
{
    test_empty();
    test_basic();
    test_percentile_clamp();
    test_buckets();
    test_merge();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all latstats tests passed\n");
    return 0;
}
