#include "urlcodec.h"

#include <ctype.h>
#include <string.h>

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int unreserved(unsigned char c)
{
    return isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

long url_decode(char *dst, size_t dstsize, const char *src, size_t srclen, int plus_as_space)
{
    size_t o = 0;
    for (size_t i = 0; i < srclen; i++) {
        char c = src[i];
        if (c == '%') {
            if (i + 2 >= srclen)
                return -1;
            int hi = hexval((unsigned char)src[i + 1]);
            int lo = hexval((unsigned char)src[i + 2]);
            if (hi < 0 || lo < 0 || (hi | lo) == 0)
                return -1;
            c = (char)(hi << 4 | lo);
            i += 2;
        } else if (c == '+' && plus_as_space) {
            c = ' ';
        }
        if (o + 1 >= dstsize)
            return -1;
        dst[o++] = c;
    }
    if (dstsize == 0)
        return -1;
    dst[o] = '\0';
    return (long)o;
}

size_t url_encoded_len(const char *src)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)src; *p; p++)
        n += unreserved(*p) ? 1 : 3;
    return n;
}

long url_encode(char *dst, size_t dstsize, const char *src)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t need = url_encoded_len(src);
    if (need + 1 > dstsize)
        return -1;
    char *o = dst;
    for (const unsigned char *p = (const unsigned char *)src; *p; p++) {
        if (unreserved(*p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 0x0f];
        }
    }
    *o = '\0';
    return (long)need;
}

int query_get(const char *query, const char *name, char *out, size_t outsize)
{
    size_t nlen = strlen(name);
    const char *p = query;
    while (*p) {
        const char *amp = strchr(p, '&');
        const char *end = amp ? amp : p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        const char *kend = eq ? eq : end;
        if ((size_t)(kend - p) == nlen && strncmp(p, name, nlen) == 0) {
            const char *val = eq ? eq + 1 : end;
            return url_decode(out, outsize, val, (size_t)(end - val), 1) < 0 ? -1 : 1;
        }
        if (amp == NULL)
            break;
        p = amp;
    }
    return 0;
}
