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

#include "strmap.h"

static void test_put_get(void)
{
    strmap m;
    CHECK(sm_init(&m, 4) == 0);
    CHECK(sm_capacity(&m) == 8);
    CHECK(sm_put(&m, "/api/users", 1) == 0);
    CHECK(sm_put(&m, "/api/orders", 2) == 0);
    CHECK(sm_put(&m, "/api/users", 5) == 0);
    CHECK(sm_count(&m) == 2);
    CHECK(sm_get(&m, "/api/users") && *sm_get(&m, "/api/users") == 5);
    CHECK(sm_get(&m, "/api/orders") && *sm_get(&m, "/api/orders") == 2);
    CHECK(sm_get(&m, "/nope") == NULL);
    sm_free(&m);
}

static void test_keys_are_copied(void)
{
    strmap m;
    char buf[32];
    sm_init(&m, 8);
    strcpy(buf, "alpha");
    sm_put(&m, buf, 1);
    strcpy(buf, "beta");
    sm_put(&m, buf, 2);
    CHECK(sm_get(&m, "alpha") != NULL);
    CHECK(sm_get(&m, "beta") != NULL);
    sm_free(&m);
}

static void test_growth(void)
{
    strmap m;
    char key[32];
    sm_init(&m, 16);
    for (int i = 0; i < 12; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        sm_put(&m, key, i);
    }
    CHECK(sm_capacity(&m) == 16);
    for (int i = 12; i < 200; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        sm_put(&m, key, i);
    }
    CHECK(sm_count(&m) == 200);
    CHECK(sm_capacity(&m) == 512);
    for (int i = 0; i < 200; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        long *v = sm_get(&m, key);
        CHECK(v != NULL && *v == i);
    }
    sm_free(&m);
}

static void test_remove(void)
{
    strmap m;
    char key[32];
    sm_init(&m, 8);
    for (int i = 0; i < 5; i++) {
        snprintf(key, sizeof(key), "r%d", i);
        sm_put(&m, key, i);
    }
    for (int i = 0; i < 5; i++) {
        snprintf(key, sizeof(key), "r%d", i);
        CHECK(sm_remove(&m, key) == 1);
    }
    CHECK(sm_count(&m) == 0);
    CHECK(sm_remove(&m, "r0") == 0);
    sm_free(&m);
}

static void sum_cb(const char *key, long value, void *ctx)
{
    (void)key;
    *(long *)ctx += value;
}

static void test_foreach(void)
{
    strmap m;
    char key[32];
    long total = 0;
    sm_init(&m, 8);
    for (int i = 1; i <= 20; i++) {
        snprintf(key, sizeof(key), "/p/%d", i);
        sm_put(&m, key, i);
    }
    sm_foreach(&m, sum_cb, &total);
    CHECK(total == 210);
    sm_free(&m);
}

int main(void)
{
    test_put_get();
    test_keys_are_copied();
    test_growth();
    test_remove();
    test_foreach();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all strmap tests passed\n");
    return 0;
}
