/* storage quota service: request handling, independent of the transport. */
#ifndef SERVICE_H
#define SERVICE_H

#include <stddef.h>

/* Set up the service's initial state. */
void service_init(void);

/* Handle one request line (modified in place); write the one-line reply. */
void service_handle(char *line, char *reply, size_t cap);

#endif
