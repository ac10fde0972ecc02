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

#include "pathnorm.h"

static void o_table(void)
{
    static const char *cases[][2] = {
        {"", "/"}, {"/", "/"}, {"///", "/"}, {".", "/"}, {"./", "/"}, {"/./.", "/"},
        {"a", "/a"}, {"/a/", "/a"}, {"//a//b//", "/a/b"}, {"/a/./b/.", "/a/b"},
        {"/a/b/..", "/a"}, {"/a/b/../..", "/"}, {"/a/../b/../c", "/c"},
        {"/..a/b..", "/..a/b.."}, {"/.../x", "/.../x"}, {"/a/.hidden/../f", "/a/f"},
        {"/x/y/z/../../../w", "/w"}, {"/long-segment-name/../s", "/s"},
    };
    char out[PATH_BUF];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        long n = path_normalize(cases[i][0], out, sizeof(out));
        CHECK(n == (long)strlen(cases[i][1]));
        CHECK(n >= 0 && strcmp(out, cases[i][1]) == 0);
        if (n < 0 || strcmp(out, cases[i][1]) != 0)
            fprintf(stderr, "  input %s -> %s\n", cases[i][0], n < 0 ? "(error)" : out);
    }
    const char *bad[] = {"..", "/..", "/../a", "a/../..", "/a/b/../../..", "./.."};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK(path_normalize(bad[i], out, sizeof(out)) == -1);
}

static void o_exact_sizes(void)
{
    const char *in = "//alpha/./beta/";
    const char *want = "/alpha/beta";
    size_t need = strlen(want) + 1;
    for (size_t sz = 0; sz <= need + 2; sz++) {
        char *buf = malloc(sz ? sz : 1);
        long n = path_normalize(in, buf, sz);
        if (sz >= need)
            CHECK(n == (long)need - 1 && strcmp(buf, want) == 0);
        else
            CHECK(n == -1);
        free(buf);
    }
}

static void o_depth(void)
{
    char in[512] = "";
    char out[PATH_BUF];
    for (int i = 0; i < PATH_MAX_DEPTH; i++)
        strcat(in, "/q");
    strcat(in, "/../r");
    CHECK(path_normalize(in, out, sizeof(out)) == 2 * PATH_MAX_DEPTH);
    for (int i = 0; i < 40; i++)
        strcat(in, "/z");
    CHECK(path_normalize(in, out, sizeof(out)) == -1);
    char deep[1200] = "";
    for (int i = 0; i < 200; i++)
        strcat(deep, "/a/..");
    CHECK(path_normalize(deep, out, sizeof(out)) == 1 && strcmp(out, "/") == 0);
}

static void o_join(void)
{
    char out[64];
    CHECK(path_join("", "x", out, sizeof(out)) == 2 && strcmp(out, "/x") == 0);
    CHECK(path_join("/srv///", "", out, sizeof(out)) == 5 && strcmp(out, "/srv/") == 0);
    CHECK(path_join("/srv", "a/b/c/d/e/f/g/h/i/j/k/l", out, sizeof(out)) == 28);
    CHECK(strcmp(out, "/srv/a/b/c/d/e/f/g/h/i/j/k/l") == 0);
    CHECK(path_join("/srv", "..", out, sizeof(out)) == -1);
    for (size_t sz = 1; sz < 12; sz++) {
        char *b = malloc(sz);
        CHECK(path_join("/srv", "/file", b, sz) == (sz > 9 ? 9 : -1));
        free(b);
    }
}

static void o_ext(void)
{
    CHECK(strcmp(path_ext(""), "") == 0);
    CHECK(strcmp(path_ext("noext"), "") == 0);
    CHECK(strcmp(path_ext("file."), "") == 0);
    CHECK(strcmp(path_ext(".env"), "") == 0);
    CHECK(strcmp(path_ext("a.b/c"), "") == 0);
    CHECK(strcmp(path_ext("a.b/c.d"), "d") == 0);
    CHECK(strcmp(path_ext("/x/y.html"), "html") == 0);
    CHECK(strcmp(path_ext("y.HTML"), "HTML") == 0);
}

int main(void)
{
    o_table();
    o_exact_sizes();
    o_depth();
    o_join();
    o_ext();
    ORACLE_MAIN_END();
}
