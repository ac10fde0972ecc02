#include <stdio.h>
#include <string.h>

#include "kvconf.h"

static int failures;
#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                      \
            failures++;                                                    \
        }                                                                  \
    } while (0)

static const char *SAMPLE =
    "# service config\n"
    "listen_host = 0.0.0.0\n"
    "listen_port = 8080\n"
    "  workers=4  \n"
    "; legacy comment\n"
    "debug = yes\n"
    "name = edge proxy\n";

static void test_basic_parse(void)
{
    kv_config cfg;
    kv_init(&cfg);
    CHECK(kv_parse(&cfg, SAMPLE) == 5);
    CHECK(cfg.errors == 0);
    CHECK(strcmp(kv_get(&cfg, "listen_host"), "0.0.0.0") == 0);
    CHECK(strcmp(kv_get(&cfg, "name"), "edge proxy") == 0);
    CHECK(kv_get(&cfg, "missing") == NULL);
}

static void test_numbers(void)
{
    kv_config cfg;
    kv_init(&cfg);
    kv_parse(&cfg, SAMPLE);
    CHECK(kv_get_int(&cfg, "workers", 1) == 4);
    CHECK(kv_get_int(&cfg, "name", 7) == 7);
    CHECK(kv_get_int(&cfg, "timeout_ms", 2500) == 2500);
    CHECK(kv_get_port(&cfg, "listen_port", 80) == 8080);
}

static void test_port_range(void)
{
    kv_config cfg;
    kv_init(&cfg);
    kv_parse(&cfg, "a = 70000\nb = -5\nc = 443\n");
    CHECK(kv_get_port(&cfg, "a", 80) == 80);
    CHECK(kv_get_port(&cfg, "b", 80) == 80);
    CHECK(kv_get_port(&cfg, "c", 80) == 443);
}

static void test_bool(void)
{
    kv_config cfg;
    kv_init(&cfg);
    kv_parse(&cfg, "debug = yes\nverbose = Off\nweird = maybe\n");
    CHECK(kv_get_bool(&cfg, "debug", 0) == 1);
    CHECK(kv_get_bool(&cfg, "verbose", 1) == 0);
    CHECK(kv_get_bool(&cfg, "weird", -1) == -1);
    CHECK(kv_get_bool(&cfg, "absent", 1) == 1);
}

static void test_malformed_and_limits(void)
{
    kv_config cfg;
    char line[KV_VAL_MAX + 16];
    kv_init(&cfg);
    kv_parse(&cfg, "no equals sign here\n = empty key\n");
    CHECK(cfg.errors == 2);
    CHECK(cfg.count == 0);

    kv_init(&cfg);
    memset(line, 0, sizeof(line));
    strcpy(line, "big=");
    memset(line + 4, 'v', KV_VAL_MAX);
    kv_parse(&cfg, line);
    CHECK(cfg.errors == 1);
    CHECK(kv_get(&cfg, "big") == NULL);
}

static void test_get_copy(void)
{
    kv_config cfg;
    char area[16];
    kv_init(&cfg);
    kv_parse(&cfg, "motd = welcome to the cluster\n");
    memset(area, 'Z', sizeof(area));
    area[sizeof(area) - 1] = '\0';
    CHECK(kv_get_copy(&cfg, "motd", area, 8) == 7);
    CHECK(strcmp(area, "welcome") == 0);
    CHECK(area[8] == 'Z');
}

int main(void)
{
    test_basic_parse();
    test_numbers();
    test_port_range();
    test_bool();
    test_malformed_and_limits();
    test_get_copy();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all kvconf tests passed\n");
    return 0;
}
