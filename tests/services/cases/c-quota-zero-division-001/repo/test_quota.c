#include <stdio.h>
#include <string.h>

#include "quota.h"

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
    expect("QUOTA alice", "QUOTA alice used=120 limit=1000 percent=12");
    expect("USE alice 380", "OK alice used=500");
    expect("QUOTA alice", "QUOTA alice used=500 limit=1000 percent=50");
    expect("USE bob 20", "DENIED bob used=990 limit=1000");
    expect("FREE bob 90", "OK bob used=900");
    expect("USE root 100000", "OK root used=152000");
    expect("USE alice lots", "ERR amount must be a non-negative integer");
    expect("ADDUSER carol 50", "ADDED carol limit=50");
    expect("ADDUSER carol 50", "ERR user carol exists");
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
