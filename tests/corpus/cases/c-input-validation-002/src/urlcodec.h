#ifndef URLCODEC_H
#define URLCODEC_H

#include <stddef.h>

/* Percent-decode srclen bytes of src into dst (NUL-terminated).
 * plus_as_space: decode '+' as ' ' (application/x-www-form-urlencoded).
 * Returns the decoded length, or -1 on a malformed escape, an encoded NUL,
 * or when dst is too small. */
long url_decode(char *dst, size_t dstsize, const char *src, size_t srclen, int plus_as_space);

/* Length of the percent-encoded form of src (RFC 3986 unreserved kept). */
size_t url_encoded_len(const char *src);

/* Percent-encode src into dst. Returns the encoded length or -1 if dst is too small. */
long url_encode(char *dst, size_t dstsize, const char *src);

/* Find parameter `name` in a query string ("a=1&b=x%20y&flag") and decode
 * its value into out. Returns 1 if found, 0 if absent, -1 if malformed. A
 * parameter without '=' has an empty value. */
int query_get(const char *query, const char *name, char *out, size_t outsize);

#endif
