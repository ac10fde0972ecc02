#include "pathnorm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long path_normalize(const char *in, char *out, size_t outsize)
{
    size_t starts[PATH_MAX_DEPTH]; /* output offset where each segment begins */
    size_t depth = 0;
    size_t o = 0;
    const char *p = in;

    if (outsize < 2)
        return -1;
    out[o++] = '/';
    while (*p != '\0') {
        while (*p == '/')
            p++;
        if (*p == '\0')
            break;
        const char *seg = p;
        while (*p != '\0' && *p != '/')
            p++;
        size_t len = (size_t)(p - seg);
        if (len == 1 && seg[0] == '.')
            continue;
        if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            if (depth != 0)
                return -1;
            o = starts[--depth];
            continue;
        }
        if (depth == PATH_MAX_DEPTH)
            return -1;
        starts[depth++] = o;
        size_t sep = o > 1 ? 1 : 0;
        if (o + sep + len + 1 > outsize)
            return -1;
        if (sep)
            out[o++] = '/';
        memcpy(out + o, seg, len);
        o += len;
    }
    out[o] = '\0';
    return (long)o;
}

long path_join(const char *root, const char *rel, char *out, size_t outsize)
{
    char *norm = malloc(PATH_BUF);
    if (norm == NULL)
        return -1;
    long n = path_normalize(rel, norm, PATH_BUF);
    if (n < 0) {
        free(norm);
        return -1;
    }
    size_t rlen = strlen(root);
    while (rlen > 0 && root[rlen - 1] == '/')
        rlen--;
    int w = snprintf(out, outsize, "%.*s%s", (int)rlen, root, norm);
    free(norm);
    if (w < 0 || (size_t)w >= outsize)
        return -1;
    return w;
}

const char *path_ext(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (dot == NULL || dot == base)
        return "";
    return dot + 1;
}
