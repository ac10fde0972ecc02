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

#include "ringbuf.h"

static void test_write_read(void)
{
    ringbuf rb;
    char out[16];
    CHECK(rb_init(&rb, 8) == 0);
    CHECK(rb_write(&rb, "hello", 5) == 5);
    CHECK(rb_len(&rb) == 5);
    CHECK(rb_space(&rb) == 3);
    CHECK(rb_read(&rb, out, 3) == 3);
    CHECK(memcmp(out, "hel", 3) == 0);
    CHECK(rb_len(&rb) == 2);
    rb_free(&rb);
}

static void test_full_and_wrap(void)
{
    ringbuf rb;
    char out[16];
    rb_init(&rb, 8);
    CHECK(rb_write(&rb, "abcdefghij", 10) == 8);
    CHECK(rb_space(&rb) == 0);
    CHECK(rb_read(&rb, out, 5) == 5);
    CHECK(rb_write(&rb, "XYZ", 3) == 3);
    CHECK(rb_peek(&rb, out, 16) == 6);
    CHECK(memcmp(out, "fghXYZ", 6) == 0);
    rb_free(&rb);
}

static void test_lines(void)
{
    ringbuf rb;
    char line[32];
    rb_init(&rb, 32);
    rb_write(&rb, "GET / HTTP/1.1\nHost: x", 22);
    CHECK(rb_read_line(&rb, line, sizeof(line)) == 14);
    CHECK(strcmp(line, "GET / HTTP/1.1") == 0);
    CHECK(rb_read_line(&rb, line, sizeof(line)) == -1);
    rb_write(&rb, "\n", 1);
    CHECK(rb_read_line(&rb, line, sizeof(line)) == 7);
    CHECK(strcmp(line, "Host: x") == 0);
    CHECK(rb_len(&rb) == 0);
    rb_free(&rb);
}

static void test_line_after_wrap(void)
{
    ringbuf rb;
    char line[16];
    char junk[12];
    rb_init(&rb, 16);
    rb_write(&rb, "0123456789ab", 12);
    rb_read(&rb, junk, 12);
    rb_write(&rb, "PING 42\n", 8);
    CHECK(rb_find(&rb, '\n') == 7);
    CHECK(rb_read_line(&rb, line, sizeof(line)) == 7);
    CHECK(strcmp(line, "PING 42") == 0);
    rb_free(&rb);
}

static void test_line_too_long(void)
{
    ringbuf rb;
    char line[8];
    rb_init(&rb, 32);
    rb_write(&rb, "ABCDEFGH\nok\n", 12);
    CHECK(rb_read_line(&rb, line, sizeof(line)) == -2);
    CHECK(rb_read_line(&rb, line, sizeof(line)) == 2);
    CHECK(strcmp(line, "ok") == 0);
    rb_free(&rb);
}

static void test_reinit(void)
{
    ringbuf rb;
    rb_init(&rb, 4);
    rb_write(&rb, "abc", 3);
    rb_free(&rb);
    CHECK(rb_init(&rb, 4) == 0);
    CHECK(rb_len(&rb) == 0);
    CHECK(rb_space(&rb) == 4);
    rb_free(&rb);
    CHECK(rb_init(&rb, 0) == -1);
}

int main(void)
{
    test_write_read();
    test_full_and_wrap();
    test_lines();
    test_line_after_wrap();
    test_line_too_long();
    test_reinit();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all ringbuf tests passed\n");
    return 0;
}
