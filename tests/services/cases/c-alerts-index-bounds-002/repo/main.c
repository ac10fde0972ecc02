/* TCP front end of the alert router: one request line in, one response line out.
 *
 * Usage: alertd              serve on 127.0.0.1:$PORT
 *        alertd --replay F   run the request lines of file F through the same handler
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "alerts.h"

#define LINE_MAX_LEN 1024

/* Strip the line ending; return 0 for a blank line. */
static int clean_line(char *line)
{
    line[strcspn(line, "\r\n")] = '\0';
    return line[strspn(line, " \t")] != '\0';
}

static int replay(const char *path)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        perror(path);
        return 2;
    }
    char line[LINE_MAX_LEN], reply[LINE_MAX_LEN];
    while (fgets(line, sizeof line, in)) {
        if (!clean_line(line))
            continue;
        fprintf(stderr, "request: %s\n", line);
        service_handle(line, reply, sizeof reply);
        printf("%s\n", reply);
        fflush(stdout);
    }
    fclose(in);
    return 0;
}

static void serve_connection(int fd)
{
    FILE *in = fdopen(fd, "r");
    if (!in) {
        close(fd);
        return;
    }
    char line[LINE_MAX_LEN], reply[LINE_MAX_LEN];
    while (fgets(line, sizeof line, in)) {
        if (!clean_line(line))
            continue;
        fprintf(stderr, "request: %s\n", line);
        service_handle(line, reply, sizeof reply);
        if (dprintf(fd, "%s\n", reply) < 0)
            break;
    }
    fclose(in);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    service_init();
    if (argc == 3 && strcmp(argv[1], "--replay") == 0)
        return replay(argv[2]);

    const char *port_env = getenv("PORT");
    int port = port_env ? atoi(port_env) : 8080;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(listener, 16) < 0) {
        perror("listen");
        return 1;
    }
    fprintf(stderr, "listening on %d\n", port);
    for (;;) {
        int fd = accept(listener, NULL, NULL);
        if (fd >= 0)
            serve_connection(fd);
    }
}
