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

#include "pathnorm.h"

static int norm_is(const char *in, const char *want)
{
    char out[PATH_BUF];
    long n = path_normalize(in, out, sizeof(out));
    return n == (long)strlen(want) && strcmp(out, want) == 0;
}

static void test_normalize(void)
{
    CHECK(norm_is("/", "/"));
    CHECK(norm_is("", "/"));
    CHECK(norm_is("/static//css/./site.css", "/static/css/site.css"));
    CHECK(norm_is("a/b/../c", "/a/c"));
    CHECK(norm_is("/a/b/c/../../d/", "/a/d"));
    CHECK(norm_is("/a/..", "/"));
}

static void test_escape_rejected(void)
{
    char out[64];
    CHECK(path_normalize("/..", out, sizeof(out)) == -1);
    CHECK(path_normalize("/a/../../etc/passwd", out, sizeof(out)) == -1);
}

static void test_small_buffer(void)
{
    struct {
        char out[6];
        char guard;
    } b;
    b.guard = 'G';
    CHECK(path_normalize("abcd", b.out, sizeof(b.out)) == 5);
    CHECK(path_normalize("abcde", b.out, sizeof(b.out)) == -1);
    CHECK(b.guard == 'G');
}

static void test_depth_limit(void)
{
    char in[256] = "";
    char out[PATH_BUF];
    for (int i = 0; i < PATH_MAX_DEPTH; i++)
        strcat(in, "/d");
    CHECK(path_normalize(in, out, sizeof(out)) == 2 * PATH_MAX_DEPTH);
    strcat(in, "/d/d/d");
    CHECK(path_normalize(in, out, sizeof(out)) == -1);
}

static void test_join(void)
{
    char out[64];
    CHECK(path_join("/srv/www/", "img/../index.html", out, sizeof(out)) == 19);
    CHECK(strcmp(out, "/srv/www/index.html") == 0);
    CHECK(path_join("/", "/docs/guide.md", out, sizeof(out)) == 14);
    CHECK(strcmp(out, "/docs/guide.md") == 0);
    CHECK(path_join("/srv", "../secret", out, sizeof(out)) == -1);
    CHECK(path_join("/srv", "a.txt", out, 10) == -1);
    CHECK(path_join("/srv", "a.txt", out, 11) == 10);
}

static void test_ext(void)
{
    CHECK(strcmp(path_ext("/static/app.min.js"), "js") == 0);
    CHECK(strcmp(path_ext("/v1.2/README"), "") == 0);
    CHECK(strcmp(path_ext("/home/.profile"), "") == 0);
    CHECK(strcmp(path_ext("archive.tar.gz"), "gz") == 0);
}

int main(void)
{
    test_normalize();
    test_escape_rejected();
    test_small_buffer();
    test_depth_limit();
    test_join();
    test_ext();
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("all pathnorm tests passed\n");
    return 0;
}
