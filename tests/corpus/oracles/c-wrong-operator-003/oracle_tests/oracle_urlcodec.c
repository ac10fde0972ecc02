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

#include "urlcodec.h"

static void o_roundtrip(void)
{
    char src[256], enc[800], dec[256];
    for (int len = 0; len < 200; len += 7) {
        for (int i = 0; i < len; i++)
            src[i] = (char)(1 + (i * 37 + len) % 255);
        src[len] = '\0';
        long e = url_encode(enc, sizeof(enc), src);
        CHECK(e >= len && (size_t)e == url_encoded_len(src) && (size_t)e == strlen(enc));
        for (const char *p = enc; *p; p++)
            CHECK((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                  strchr("-_.~%", *p) != NULL);
        long d = url_decode(dec, sizeof(dec), enc, (size_t)e, 0);
        CHECK(d == len && memcmp(dec, src, (size_t)len + 1) == 0);
    }
}

static void o_decode_edges(void)
{
    char b[32];
    CHECK(url_decode(b, sizeof(b), "", 0, 0) == 0 && b[0] == '\0');
    CHECK(url_decode(b, sizeof(b), "%41%4a%4A", 9, 0) == 3 && strcmp(b, "AJJ") == 0);
    CHECK(url_decode(b, sizeof(b), "%", 1, 0) == -1);
    CHECK(url_decode(b, sizeof(b), "%4", 2, 0) == -1);
    CHECK(url_decode(b, sizeof(b), "%41", 2, 0) == -1);
    CHECK(url_decode(b, sizeof(b), "%41", 3, 0) == 1);
    CHECK(url_decode(b, sizeof(b), "%0A%00", 6, 0) == -1);
    CHECK(url_decode(b, sizeof(b), "%0A%10", 6, 0) == 2 && b[0] == '\n' && b[1] == 0x10);
    CHECK(url_decode(b, sizeof(b), "%F0", 3, 0) == 1 && (unsigned char)b[0] == 0xF0);
    CHECK(url_decode(b, sizeof(b), "%FF%ff", 6, 0) == 2 && (unsigned char)b[1] == 0xFF);
    CHECK(url_decode(b, sizeof(b), "%2B+", 4, 1) == 2 && strcmp(b, "+ ") == 0);
    for (size_t n = 0; n <= 6; n++) {
        char *h = malloc(n ? n : 1);
        long r = url_decode(h, n, "abcde", 5, 0);
        CHECK(n >= 6 ? r == 5 : r == -1);
        if (n >= 6)
            CHECK(strcmp(h, "abcde") == 0);
        free(h);
    }
}

static void o_encode_edges(void)
{
    char b[16];
    CHECK(url_encode(b, 1, "") == 0 && b[0] == '\0');
    CHECK(url_encode(b, 0, "") == -1);
    CHECK(url_encode(b, 4, "%") == 3 && strcmp(b, "%25") == 0);
    CHECK(url_encode(b, 3, "%") == -1);
    CHECK(url_encode(b, sizeof(b), "\x01\x7f\xff") == 9 && strcmp(b, "%01%7F%FF") == 0);
    CHECK(url_encoded_len("") == 0);
    CHECK(url_encoded_len("Az09") == 4);
    CHECK(url_encoded_len("&=?") == 9);
}

static void o_query(void)
{
    char out[16];
    const char *q = "a=1&&b=&c&=x&dd=4&d=5&e=%7E&long=0123456789abcdefXYZ";
    CHECK(query_get(q, "a", out, sizeof(out)) == 1 && strcmp(out, "1") == 0);
    CHECK(query_get(q, "b", out, sizeof(out)) == 1 && strcmp(out, "") == 0);
    CHECK(query_get(q, "c", out, sizeof(out)) == 1 && strcmp(out, "") == 0);
    CHECK(query_get(q, "d", out, sizeof(out)) == 1 && strcmp(out, "5") == 0);
    CHECK(query_get(q, "dd", out, sizeof(out)) == 1 && strcmp(out, "4") == 0);
    CHECK(query_get(q, "e", out, sizeof(out)) == 1 && strcmp(out, "~") == 0);
    CHECK(query_get(q, "long", out, sizeof(out)) == -1);
    CHECK(query_get(q, "zz", out, sizeof(out)) == 0);
    CHECK(query_get("", "a", out, sizeof(out)) == 0);
    CHECK(query_get("&&&", "a", out, sizeof(out)) == 0);
    CHECK(query_get("x&y&z", "z", out, sizeof(out)) == 1 && out[0] == '\0');
    CHECK(query_get("flag", "flag", out, sizeof(out)) == 1 && out[0] == '\0');
}

int main(void)
{
    o_roundtrip();
    o_decode_edges();
    o_encode_edges();
    o_query();
    ORACLE_MAIN_END();
}
