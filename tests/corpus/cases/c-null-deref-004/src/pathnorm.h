#ifndef PATHNORM_H
#define PATHNORM_H

#include <stddef.h>

#define PATH_MAX_DEPTH 32
#define PATH_BUF 1024

/* Normalise a request path for the static file server: collapse repeated
 * slashes, drop "." segments and resolve ".." segments. The result always
 * starts with '/'. Returns its length, or -1 if the path would escape the
 * root, is nested deeper than PATH_MAX_DEPTH or does not fit in out. */
long path_normalize(const char *in, char *out, size_t outsize);

/* root + normalised rel, e.g. ("/srv/www/", "a/../b") -> "/srv/www/b". */
long path_join(const char *root, const char *rel, char *out, size_t outsize);

/* Extension of the last path segment ("" if none; dotfiles have none). */
const char *path_ext(const char *path);

#endif
