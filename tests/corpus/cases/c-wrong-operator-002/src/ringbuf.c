#include "ringbuf.h"

#include <stdlib.h>

int rb_init(ringbuf *rb, size_t cap)
{
    if (cap == 0)
        return -1;
    rb->data = malloc(cap);
    if (rb->data == NULL)
        return -1;
    rb->cap = cap;
    rb->head = rb->tail = rb->len = 0;
    return 0;
}

void rb_free(ringbuf *rb)
{
    free(rb->data);
    rb->data = NULL;
    rb->cap = 0;
}

size_t rb_len(const ringbuf *rb)
{
    return rb->len;
}

size_t rb_space(const ringbuf *rb)
{
    return rb->cap - rb->len;
}

size_t rb_write(ringbuf *rb, const void *src, size_t n)
{
    const unsigned char *s = src;
    size_t space = rb_space(rb);
    if (n > space)
        n = space;
    for (size_t i = 0; i < n; i++) {
        rb->data[rb->tail] = s[i];
        rb->tail = (rb->tail + 1) % rb->cap;
    }
    rb->len += n;
    return n;
}

size_t rb_peek(const ringbuf *rb, void *dst, size_t n)
{
    unsigned char *d = dst;
    if (n > rb->len)
        n = rb->len;
    size_t pos = rb->head;
    for (size_t i = 0; i < n; i++) {
        d[i] = rb->data[pos];
        pos = (pos + 1) % rb->cap;
    }
    return n;
}

size_t rb_discard(ringbuf *rb, size_t n)
{
    if (n > rb->len)
        n = rb->len;
    rb->head = (rb->head + n) % rb->cap;
    rb->len -= n;
    return n;
}

size_t rb_read(ringbuf *rb, void *dst, size_t n)
{
    n = rb_peek(rb, dst, n);
    return rb_discard(rb, n);
}

long rb_find(const ringbuf *rb, unsigned char byte)
{
    for (size_t i = 0; i < rb->len; i++) {
        if (rb->data[rb->head + i % rb->cap] == byte)
            return (long)i;
    }
    return -1;
}

long rb_read_line(ringbuf *rb, char *dst, size_t dstsize)
{
    long nl = rb_find(rb, '\n');
    if (nl < 0)
        return -1;
    size_t linelen = (size_t)nl;
    if (linelen + 1 > dstsize) {
        rb_discard(rb, linelen + 1);
        return -2;
    }
    rb_read(rb, dst, linelen);
    dst[linelen] = '\0';
    rb_discard(rb, 1);
    return (long)linelen;
}
