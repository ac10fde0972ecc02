/* Test program for the kernel sensor: each mode fails in one well-known way.
 * Built with -g -O0 -fno-omit-frame-pointer so user stacks can be walked and symbolized. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct request { const char *path; int *counter; };

__attribute__((noinline)) static int level3(struct request *req) {
    return *req->counter + 1; /* CRASH-LINE: counter is NULL */
}

__attribute__((noinline)) static int level2(struct request *req) {
    return level3(req) * 2;
}

__attribute__((noinline)) static int level1(const char *path) {
    struct request req = { path, NULL };
    return level2(&req) + 1;
}

static inline __attribute__((always_inline)) int read_counter(struct request *req) {
    return *req->counter; /* INLINE-LINE */
}

__attribute__((noinline)) static int handle_inline(struct request *req) {
    return read_counter(req) + 1; /* CALLER-LINE */
}

__attribute__((noinline)) static int divide(int a, int b) {
    return a / b; /* FPE-LINE */
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "segv";
    if (!strcmp(mode, "segv")) {
        printf("%d\n", level1("/index"));
    } else if (!strcmp(mode, "inline")) {
        struct request req = { "/inline", NULL };
        printf("%d\n", handle_inline(&req));
    } else if (!strcmp(mode, "abort")) {
        abort();
    } else if (!strcmp(mode, "fpe")) {
        volatile int zero = argc - 2; /* 0 when called with one argument */
        printf("%d\n", divide(10, zero));
    } else if (!strcmp(mode, "exit3")) {
        exit(3);
    } else if (!strcmp(mode, "sleep")) {
        struct timespec ts = { 0, 200 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    } else if (!strcmp(mode, "eacces")) {
        /* Run as an unprivileged user or on a path root cannot open either. */
        int fd = open(argc > 2 ? argv[2] : "/proc/1/mem", O_RDWR);
        printf("open: %d errno=%d\n", fd, fd < 0 ? errno : 0);
    } else if (!strcmp(mode, "hog")) {
        /* Wait for the go (one byte on stdin), then touch memory until the OOM killer acts. */
        char go;
        if (read(0, &go, 1) != 1) return 1;
        for (;;) {
            char *p = malloc(1 << 20);
            if (!p) return 1;
            memset(p, 1, 1 << 20);
        }
    } else if (!strcmp(mode, "wait")) {
        pause();
    } else if (!strcmp(mode, "flood")) {
        /* Many short syscalls that each produce a ring event when the slow threshold is 1ns. */
        long n = argc > 2 ? atol(argv[2]) : 1000000;
        for (long i = 0; i < n; i++) getppid();
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    return 0;
}
