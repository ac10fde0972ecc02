# usage: mkc.sh BASE_DIR TITLE BIN MODULE
set -e
T="$(dirname "$0")/c"
mkdir -p "$1"
for f in main.c Makefile; do
  sed -e "s#@TITLE@#$2#" -e "s#@BIN@#$3#g" -e "s#@MOD@#$4#g" "$T/$f" > "$1/$f"
done
cat > "$1/$4.h" <<H
/* $2: request handling, independent of the transport. */
#ifndef SERVICE_H
#define SERVICE_H

#include <stddef.h>

/* Set up the service's initial state. */
void service_init(void);

/* Handle one request line (modified in place); write the one-line reply. */
void service_handle(char *line, char *reply, size_t cap);

#endif
H
printf '*.o\n/%s\n/test_%s\n' "$3" "$4" > "$1/.gitignore"
