#include <stdio.h>
#include <string.h>

#include "cache.h"

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
    expect("GET motd", "VALUE welcome");
    expect("SET greeting hello world", "OK");
    expect("GET greeting", "VALUE hello world");
    expect("LEN greeting", "LEN 11");
    expect("SET greeting hi", "OK");
    expect("GET greeting", "VALUE hi");
    expect("COUNT", "COUNT 2");
    expect("DEL greeting", "OK");
    expect("GET greeting", "NOT_FOUND");
    expect("DEL greeting", "NOT_FOUND");
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
