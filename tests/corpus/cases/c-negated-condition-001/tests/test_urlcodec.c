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

#include "urlcodec.h"

static long dec(char *dst, size_t n, const char *s, int plus)
{
    return url_decode(dst, n, s, strlen(s), plus);
}

static void test_decode(void)
{
    char buf[64];
    CHECK(dec(buf, sizeof(buf), "hello%20world", 0) == 11);
    CHECK(strcmp(buf, "hello world") == 0);
    CHECK(dec(buf, sizeof(buf), "a+b%2Bc", 1) == 5);
    CHECK(strcmp(buf, "a b+c") == 0);
    CHECK(dec(buf, sizeof(buf), "a+b", 0) == 3 && strcmp(buf, "a+b") == 0);
    CHECK(dec(buf, sizeof(buf), "%e2%82%ac", 0) == 3);
    CHECK(strcmp(buf, "\xe2\x82\xac") == 0);
}

static void test_decode_errors(void)
{
    char buf[64];
    CHECK(dec(buf, sizeof(buf), "bad%zz", 0) == -1);
    CHECK(dec(buf, sizeof(buf), "trunc%4", 0) == -1);
    CHECK(dec(buf, sizeof(buf), "nul%00byte", 0) == -1);
}

static void test_decode_small_buffer(void)
{
    char small[4];
    CHECK(dec(small, sizeof(small), "abc", 0) == 3);
    CHECK(dec(small, sizeof(small), "abcd", 0) == -1);
}

static void test_encode(void)
{
    char buf[64];
    CHECK(url_encoded_len("a b/c") == 9);
    CHECK(url_encode(buf, sizeof(buf), "a b/c") == 9);
    CHECK(strcmp(buf, "a%20b%2Fc") == 0);
    CHECK(url_encode(buf, sizeof(buf), "safe-_.~") == 8);
    CHECK(url_encode(buf, 9, "a b/c") == -1);
    CHECK(url_encode(buf, sizeof(buf), "\xe2\x82\xac") == 9);
    CHECK(strcmp(buf, "%E2%82%AC") == 0);
}

static void test_query(void)
{
    char out[32];
    const char *q = "user=j%C3%B8rn&page=2&debug&q=a+b";
    CHECK(query_get(q, "page", out, sizeof(out)) == 1 && strcmp(out, "2") == 0);
    CHECK(query_get(q, "q", out, sizeof(out)) == 1 && strcmp(out, "a b") == 0);
    CHECK(query_get(q, "user", out, sizeof(out)) == 1 && strcmp(out, "j\xc3\xb8rn") == 0);
    CHECK(query_get(q, "pag", out, sizeof(out)) == 0);
    CHECK(query_get(q, "missing", out, sizeof(out)) == 0);
    CHECK(query_get("x=%G1", "x", out, sizeof(out)) == -1);
}

static void test_query_flag(void)
{
    char out[8] = "junk";
    CHECK(query_get("verbose&debug", "debug", out, sizeof(out)) == 1);
    CHECK(out[0] == '\0');
}

int main(void)
{
    test_decode();
    test_decode_errors();
    test_decode_small_buffer();
    test_encode();
    test_query();
    test_query_flag();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all urlcodec tests passed\n");
    return 0;
}
