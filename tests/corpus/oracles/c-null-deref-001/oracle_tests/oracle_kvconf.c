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

#include "kvconf.h"

static void o_parse(void)
{
    kv_config cfg;
    kv_init(&cfg);
    CHECK(kv_parse(&cfg, "a=1\r\nb = two words \r\n#c=3\n   ;d=4\n\n\t\ne=\nf=x=y") == 4);
    CHECK(cfg.errors == 0);
    CHECK(strcmp(kv_get(&cfg, "b"), "two words") == 0);
    CHECK(strcmp(kv_get(&cfg, "e"), "") == 0);
    CHECK(strcmp(kv_get(&cfg, "f"), "x=y") == 0);
    CHECK(kv_get(&cfg, "c") == NULL && kv_get(&cfg, "d") == NULL);
    kv_parse(&cfg, "a = 9\n");
    CHECK(cfg.count == 4);
    CHECK(strcmp(kv_get(&cfg, "a"), "9") == 0);
}

static void o_lengths(void)
{
    kv_config cfg;
    char buf[KV_KEY_MAX + KV_VAL_MAX + 8];
    /* longest allowed value */
    kv_init(&cfg);
    memset(buf, 0, sizeof(buf));
    strcpy(buf, "v=");
    memset(buf + 2, 'q', KV_VAL_MAX - 1);
    kv_parse(&cfg, buf);
    CHECK(cfg.errors == 0);
    CHECK(kv_get(&cfg, "v") != NULL && strlen(kv_get(&cfg, "v")) == KV_VAL_MAX - 1);
    /* one too long, with trailing spaces trimmed first */
    kv_init(&cfg);
    memset(buf, 0, sizeof(buf));
    strcpy(buf, "w=");
    memset(buf + 2, 'q', KV_VAL_MAX);
    kv_parse(&cfg, buf);
    CHECK(cfg.errors == 1 && kv_get(&cfg, "w") == NULL);
    kv_init(&cfg);
    memset(buf, 0, sizeof(buf));
    memset(buf, 'k', KV_KEY_MAX - 1);
    strcat(buf, "=1");
    kv_parse(&cfg, buf);
    CHECK(cfg.count == 1 && cfg.errors == 0);
    kv_init(&cfg);
    memset(buf, 0, sizeof(buf));
    memset(buf, 'k', KV_KEY_MAX);
    strcat(buf, "=1");
    kv_parse(&cfg, buf);
    CHECK(cfg.count == 0 && cfg.errors == 1);
}

static void o_capacity(void)
{
    kv_config cfg;
    char line[32];
    kv_init(&cfg);
    for (int i = 0; i < KV_MAX_ENTRIES + 3; i++) {
        snprintf(line, sizeof(line), "key%d=%d\n", i, i);
        kv_parse(&cfg, line);
    }
    CHECK(cfg.count == KV_MAX_ENTRIES);
    CHECK(cfg.errors == 3);
    CHECK(kv_get_int(&cfg, "key63", -1) == 63);
}

static void o_ints(void)
{
    kv_config cfg;
    kv_init(&cfg);
    kv_parse(&cfg, "hex=0x10\nneg=-42\nbad=12abc\nempty=\nhuge=99999999999999999999999\n");
    CHECK(kv_get_int(&cfg, "hex", 0) == 16);
    CHECK(kv_get_int(&cfg, "neg", 0) == -42);
    CHECK(kv_get_int(&cfg, "bad", 5) == 5);
    CHECK(kv_get_int(&cfg, "empty", 6) == 6);
    CHECK(kv_get_int(&cfg, "huge", 7) == 7);
    CHECK(kv_get_int(&cfg, "nope", 8) == 8);
    CHECK(kv_get_port(&cfg, "nope", 9) == 9);
}

static void o_ports(void)
{
    kv_config cfg;
    kv_init(&cfg);
    kv_parse(&cfg, "p0=0\np1=1\npmax=65535\npover=65536\npneg=-1\npbig=4294967377\nptxt=http\n");
    CHECK(kv_get_port(&cfg, "p0", 11) == 11);
    CHECK(kv_get_port(&cfg, "p1", 11) == 1);
    CHECK(kv_get_port(&cfg, "pmax", 11) == 65535);
    CHECK(kv_get_port(&cfg, "pover", 11) == 11);
    CHECK(kv_get_port(&cfg, "pneg", 11) == 11);
    CHECK(kv_get_port(&cfg, "pbig", 11) == 11);
    CHECK(kv_get_port(&cfg, "ptxt", 11) == 11);
}

static void o_bools(void)
{
    kv_config cfg;
    const char *t[] = {"t1", "t2", "t3", "t4"};
    const char *f[] = {"f1", "f2", "f3", "f4"};
    kv_init(&cfg);
    kv_parse(&cfg, "t1=1\nt2=TRUE\nt3=Yes\nt4=on\nf1=0\nf2=False\nf3=NO\nf4=off\nx=2\ny=\n");
    for (int i = 0; i < 4; i++) {
        CHECK(kv_get_bool(&cfg, t[i], -1) == 1);
        CHECK(kv_get_bool(&cfg, f[i], -1) == 0);
    }
    CHECK(kv_get_bool(&cfg, "x", -1) == -1);
    CHECK(kv_get_bool(&cfg, "y", -1) == -1);
    CHECK(kv_get_bool(&cfg, "z", 1) == 1);
}

static void o_copy(void)
{
    kv_config cfg;
    kv_init(&cfg);
    kv_parse(&cfg, "motd=abcdefghij\nshort=ab\n");
    for (size_t sz = 1; sz <= 12; sz++) {
        char *buf = malloc(sz);
        size_t want = sz - 1 < 10 ? sz - 1 : 10;
        CHECK(kv_get_copy(&cfg, "motd", buf, sz) == want);
        CHECK(strlen(buf) == want);
        CHECK(strncmp(buf, "abcdefghij", want) == 0);
        free(buf);
    }
    char small[3];
    CHECK(kv_get_copy(&cfg, "short", small, sizeof(small)) == 2 && strcmp(small, "ab") == 0);
    CHECK(kv_get_copy(&cfg, "missing", small, sizeof(small)) == 0);
    CHECK(kv_get_copy(&cfg, "motd", small, 0) == 0);
}

int main(void)
{
    o_parse();
    o_lengths();
    o_capacity();
    o_ints();
    o_ports();
    o_bools();
    o_copy();
    ORACLE_MAIN_END();
}
