/* Workloads for `cargo xtask bench sense`: prints nanoseconds per iteration.
 *   bench getpid N   - N raw getpid syscalls (the cheapest syscall: worst case for probes)
 *   bench io N FILE  - N times: pread 4 KiB from FILE, write it to a pipe, drain the pipe
 *   bench crash      - records CLOCK_BOOTTIME on stdout, then dereferences NULL */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(clockid_t clk) {
    struct timespec ts;
    clock_gettime(clk, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    if (!strcmp(argv[1], "crash")) {
        printf("%lld\n", now_ns(CLOCK_BOOTTIME));
        fflush(stdout);
        volatile int *p = NULL;
        return *p;
    }
    long n = argc > 2 ? atol(argv[2]) : 1000000;
    long long t0 = now_ns(CLOCK_MONOTONIC);
    if (!strcmp(argv[1], "getpid")) {
        for (long i = 0; i < n; i++) syscall(SYS_getpid);
    } else if (!strcmp(argv[1], "io")) {
        int fd = open(argc > 3 ? argv[3] : "/proc/self/exe", O_RDONLY);
        int p[2];
        if (fd < 0 || pipe(p) < 0) return 1;
        char buf[4096];
        for (long i = 0; i < n; i++) {
            ssize_t r = pread(fd, buf, sizeof buf, 0);
            if (r <= 0 || write(p[1], buf, r) != r || read(p[0], buf, sizeof buf) != r) return 1;
        }
    } else {
        return 2;
    }
    long long t1 = now_ns(CLOCK_MONOTONIC);
    printf("%.2f\n", (double)(t1 - t0) / n);
    return 0;
}
