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

#include "ringbuf.h"

/* Compare against a simple linear model over many interleaved operations. */
static void o_model(void)
{
    ringbuf rb;
    unsigned char model[64];
    size_t mlen = 0;
    unsigned char out[64];
    unsigned seed = 12345;
    CHECK(rb_init(&rb, 13) == 0);
    for (int step = 0; step < 2000; step++) {
        seed = seed * 1103515245u + 12345u;
        size_t n = (seed >> 16) % 9;
        if ((seed >> 8) & 1) {
            unsigned char in[9];
            for (size_t i = 0; i < n; i++)
                in[i] = (unsigned char)(step + i);
            size_t w = rb_write(&rb, in, n);
            size_t expect = n < 13 - mlen ? n : 13 - mlen;
            CHECK(w == expect);
            memcpy(model + mlen, in, w);
            mlen += w;
        } else {
            size_t p = rb_peek(&rb, out, n);
            size_t r = rb_read(&rb, out + 32, n);
            size_t expect = n < mlen ? n : mlen;
            CHECK(p == expect && r == expect);
            CHECK(memcmp(out, model, expect) == 0);
            CHECK(memcmp(out + 32, model, expect) == 0);
            memmove(model, model + r, mlen - r);
            mlen -= r;
        }
        CHECK(rb_len(&rb) == mlen);
        CHECK(rb_space(&rb) == 13 - mlen);
        long f = rb_find(&rb, model[0]);
        if (mlen > 0)
            CHECK(f >= 0 && model[f] == model[0]);
        else
            CHECK(f == -1);
        if (failures > 20)
            break;
    }
    rb_free(&rb);
}

static void o_discard(void)
{
    ringbuf rb;
    char out[8];
    rb_init(&rb, 8);
    rb_write(&rb, "abcdef", 6);
    CHECK(rb_discard(&rb, 2) == 2);
    CHECK(rb_discard(&rb, 100) == 4);
    CHECK(rb_len(&rb) == 0 && rb_space(&rb) == 8);
    CHECK(rb_read(&rb, out, 4) == 0);
    rb_write(&rb, "12345678", 8);
    CHECK(rb_read(&rb, out, 8) == 8 && memcmp(out, "12345678", 8) == 0);
    rb_free(&rb);
}

static void o_lines(void)
{
    ringbuf rb;
    char *exact;
    char line[8];
    rb_init(&rb, 10);
    /* wrap the newline search across the end of storage */
    rb_write(&rb, "xxxxxxx", 7);
    rb_discard(&rb, 7);
    rb_write(&rb, "abcde\nf\n", 8);
    CHECK(rb_find(&rb, '\n') == 5);
    CHECK(rb_find(&rb, 'f') == 6);
    CHECK(rb_find(&rb, 'z') == -1);
    exact = malloc(6);
    CHECK(rb_read_line(&rb, exact, 6) == 5 && strcmp(exact, "abcde") == 0);
    free(exact);
    exact = malloc(1);
    CHECK(rb_read_line(&rb, exact, 1) == -2);
    CHECK(rb_len(&rb) == 0);
    free(exact);
    rb_write(&rb, "\n", 1);
    CHECK(rb_read_line(&rb, line, sizeof(line)) == 0 && line[0] == '\0');
    rb_write(&rb, "1234567\n", 8);
    CHECK(rb_read_line(&rb, line, sizeof(line)) == 7 && strcmp(line, "1234567") == 0);
    rb_write(&rb, "12345678\n", 9);
    CHECK(rb_read_line(&rb, line, sizeof(line)) == -2);
    rb_write(&rb, "1234567", 7);
    CHECK(rb_read_line(&rb, line, sizeof(line)) == -1);
    CHECK(rb_len(&rb) == 7);
    rb_free(&rb);
}

static void o_reinit(void)
{
    ringbuf rb;
    char out[4];
    for (int i = 0; i < 3; i++) {
        CHECK(rb_init(&rb, 3) == 0);
        CHECK(rb_len(&rb) == 0 && rb_space(&rb) == 3);
        CHECK(rb_write(&rb, "ab", 2) == 2);
        CHECK(rb_peek(&rb, out, 4) == 2 && memcmp(out, "ab", 2) == 0);
        rb_free(&rb);
    }
}

int main(void)
{
    o_model();
    o_discard();
    o_lines();
    o_reinit();
    ORACLE_MAIN_END();
}
