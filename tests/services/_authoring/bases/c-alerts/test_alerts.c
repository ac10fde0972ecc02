#include <stdio.h>
#include <string.h>

#include "alerts.h"

static int failures;

static void expect(const char *request, const char *want)
{
    char line[256], reply[256];
    snprintf(line, sizeof line, "%s", request);
    service_handle(line, reply, sizeof reply);
    if (strcmp(reply, want) != 0) {
        fprintf(stderr, "FAIL %s: got '%s', want '%s'\n", request, reply, want);
        failures++;
    }
}

int main(void)
{
    service_init();
    expect("ALERT critical disk-full", "ROUTED critical pager");
    expect("ALERT 2 slow-query", "ROUTED warning chat");
    expect("ALERT 0 cache-miss", "ROUTED debug log");
    expect("ALERT -1 x", "ERR unknown severity -1");
    expect("ALERT fatal x", "ERR unknown severity fatal");
    expect("ALERT critical maintenance", "SILENCED maintenance");
    expect("SILENCE deploy,backup", "SILENCED 2 total=3");
    expect("ALERT info backup", "SILENCED backup");
    expect("STATS", "STATS debug=1 info=0 warning=1 critical=1 pages=1");
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
