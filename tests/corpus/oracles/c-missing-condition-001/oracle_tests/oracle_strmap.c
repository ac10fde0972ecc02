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

#include "strmap.h"

#define N 3000
static long model[N];
static int present[N];

static void count_cb(const char *key, long value, void *ctx)
{
    long *acc = ctx;
    int i = atoi(key + 3);
    acc[0]++;
    if (i >= 0 && i < N && present[i] && model[i] == value)
        acc[1]++;
}

static void o_model(void)
{
    strmap m;
    char key[32];
    unsigned seed = 7;
    size_t live = 0;
    CHECK(sm_init(&m, 1) == 0);
    for (int step = 0; step < 20000; step++) {
        seed = seed * 1103515245u + 12345u;
        int i = (int)((seed >> 8) % N);
        snprintf(key, sizeof(key), "key%d", i);
        if ((seed >> 4) % 3 == 0) {
            int r = sm_remove(&m, key);
            CHECK(r == present[i]);
            if (present[i])
                live--;
            present[i] = 0;
        } else {
            CHECK(sm_put(&m, key, step) == 0);
            if (!present[i])
                live++;
            present[i] = 1;
            model[i] = step;
        }
        CHECK(sm_count(&m) == live);
        if (failures > 10)
            break;
    }
    for (int i = 0; i < N; i++) {
        snprintf(key, sizeof(key), "key%d", i);
        long *v = sm_get(&m, key);
        CHECK(present[i] ? (v != NULL && *v == model[i]) : v == NULL);
    }
    long acc[2] = {0, 0};
    sm_foreach(&m, count_cb, acc);
    CHECK(acc[0] == (long)live && acc[1] == (long)live);
    CHECK(sm_count(&m) * 4 <= sm_capacity(&m) * 3);
    sm_free(&m);
}

static void o_capacity_rule(void)
{
    strmap m;
    char key[16];
    sm_init(&m, 8);
    for (int i = 0; i < 6; i++) {
        snprintf(key, sizeof(key), "c%d", i);
        sm_put(&m, key, i);
    }
    CHECK(sm_capacity(&m) == 8);
    sm_put(&m, "c6", 6);
    CHECK(sm_capacity(&m) == 16);
    sm_put(&m, "c6", 7);
    CHECK(sm_count(&m) == 7 && *sm_get(&m, "c6") == 7);
    sm_free(&m);
    sm_init(&m, 100);
    CHECK(sm_capacity(&m) == 128);
    sm_free(&m);
}

static void o_reused_buffers(void)
{
    strmap m;
    char *k = malloc(16);
    sm_init(&m, 8);
    strcpy(k, "first");
    sm_put(&m, k, 1);
    strcpy(k, "second");
    sm_put(&m, k, 2);
    free(k);
    CHECK(sm_get(&m, "first") && *sm_get(&m, "first") == 1);
    CHECK(sm_get(&m, "second") && *sm_get(&m, "second") == 2);
    CHECK(sm_put(&m, "", 3) == 0 && *sm_get(&m, "") == 3);
    CHECK(sm_remove(&m, "") == 1 && sm_get(&m, "") == NULL);
    sm_free(&m);
}

int main(void)
{
    o_model();
    o_capacity_rule();
    o_reused_buffers();
    ORACLE_MAIN_END();
}
