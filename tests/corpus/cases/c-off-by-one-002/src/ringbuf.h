#ifndef RINGBUF_H
#define RINGBUF_H

#include <stddef.h>

/* Fixed-capacity byte FIFO used to buffer socket input before framing. */
typedef struct {
    unsigned char *data;
    size_t cap;
    size_t head; /* index of next byte to read */
    size_t tail; /* index of next byte to write */
    size_t len;  /* bytes currently stored */
} ringbuf;

int rb_init(ringbuf *rb, size_t cap);
void rb_free(ringbuf *rb);
size_t rb_len(const ringbuf *rb);
size_t rb_space(const ringbuf *rb);
size_t rb_write(ringbuf *rb, const void *src, size_t n);
size_t rb_peek(const ringbuf *rb, void *dst, size_t n);
size_t rb_read(ringbuf *rb, void *dst, size_t n);
size_t rb_discard(ringbuf *rb, size_t n);
long rb_find(const ringbuf *rb, unsigned char byte);
/* Pop one '\n'-terminated line into dst (NUL-terminated, newline dropped).
 * Returns its length, -1 if no complete line is buffered, or -2 if the line
 * does not fit in dst (the line is then discarded). */
long rb_read_line(ringbuf *rb, char *dst, size_t dstsize);

#endif
