# Held-out oracle: builds the project sources with the oracle tests
# (AddressSanitizer + UBSan enabled) and runs them.
CC = gcc
CFLAGS = -g -O0 -fno-omit-frame-pointer -Wall -fsanitize=address,undefined -fno-sanitize-recover=undefined
SRCS = $(wildcard src/*.c)

.PHONY: oracle
oracle:
	mkdir -p build
	$(CC) $(CFLAGS) -Isrc $(SRCS) oracle_tests/oracle_ringbuf.c -o build/oracle_ringbuf
	ASAN_OPTIONS=detect_leaks=0 timeout 20 ./build/oracle_ringbuf
