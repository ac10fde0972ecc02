/* A tiny request server for the daemon tests: listens on the unix socket argv[1], answers
 * each line with "ok N", and dereferences NULL on its CRASH_ON-th request (argv[2],
 * default 3; 0 never), so healerd sees a SIGSEGV with a stack of this program's functions.
 * With argv[3] = MS, each request first sleeps MS milliseconds (a slow backend: nanosleep).
 * With argv[4] = N, each request first tries N times to open a missing file (a failing
 * backend: N syscalls that fail with ENOENT).
 * CRASH_ON = -1 crashes at start-up, before listening (a release that cannot start).
 * Built with -g -O0 -fno-omit-frame-pointer. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct record {
    int id;
    char text[64];
};

static int crash_on = 3;
static long sleep_ms = 0;
static int failing_opens = 0;

/* Where the fault is: a record lookup that returns NULL on the crashing request. */
static struct record *find_record(int n) {
    static struct record table[4];
    if (n == crash_on)
        return NULL;
    return &table[n % 4];
}

static void store_request(int n, const char *line) {
    struct record *r = find_record(n);
    r->id = n; /* SIGSEGV here when find_record returned NULL */
    strncpy(r->text, line, sizeof r->text - 1);
}

static void handle_request(int fd, int n) {
    char line[128];
    ssize_t got = read(fd, line, sizeof line - 1);
    if (got < 0)
        got = 0;
    line[got] = 0;
    if (sleep_ms > 0) {
        struct timespec ts = {.tv_sec = sleep_ms / 1000, .tv_nsec = (sleep_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    for (int i = 0; i < failing_opens; i++) {
        int f = open("/nonexistent/healer-test-backend", O_RDONLY);
        if (f >= 0)
            close(f);
    }
    store_request(n, line);
    char reply[32];
    int len = snprintf(reply, sizeof reply, "ok %d\n", n);
    if (write(fd, reply, len) != len)
        perror("write");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: crashserver SOCKET [CRASH_ON]\n");
        return 2;
    }
    if (argc > 2)
        crash_on = atoi(argv[2]);
    if (argc > 3)
        sleep_ms = atol(argv[3]);
    if (argc > 4)
        failing_opens = atoi(argv[4]);
    if (crash_on == -1)
        store_request(-1, "start-up");
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strncpy(addr.sun_path, argv[1], sizeof addr.sun_path - 1);
    unlink(argv[1]);
    if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(s, 16) < 0) {
        perror("listen");
        return 1;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("listening on %s\n", argv[1]);
    for (int n = 1;; n++) {
        int c = accept(s, NULL, NULL);
        if (c < 0) {
            perror("accept");
            return 1;
        }
        handle_request(c, n);
        close(c);
    }
}
