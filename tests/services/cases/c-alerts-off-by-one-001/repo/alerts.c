/* Alert router: routes alerts to a channel by severity, with silenced labels. */
#include "alerts.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SILENCED 8
#define LABEL_LEN 32

struct severity {
    const char *name;
    const char *channel;
};

/* Indexed by level; the NULL entry ends the table. */
static const struct severity severities[] = {
    {"debug", "log"},
    {"info", "log"},
    {"warning", "chat"},
    {"critical", "pager"},
    {NULL, NULL},
};
#define NSEVERITIES 4

static char silenced[MAX_SILENCED][LABEL_LEN];
static int nsilenced;
static long routed[NSEVERITIES];
static long pages;

/* Level of a severity given by number or name; -1 when unknown. */
static int parse_level(const char *text)
{
    char *end;
    long n = strtol(text, &end, 10);
    if (*text && *end == '\0')
        return (n < 0 || n > NSEVERITIES) ? -1 : (int)n;
    for (int i = 0; severities[i].name; i++)
        if (strcmp(severities[i].name, text) == 0)
            return i;
    return -1;
}

static void add_silence(const char *label)
{
    assert(nsilenced < MAX_SILENCED);
    snprintf(silenced[nsilenced++], LABEL_LEN, "%s", label);
}

static int is_silenced(const char *label)
{
    for (int i = 0; i < nsilenced; i++)
        if (strcmp(silenced[i], label) == 0)
            return 1;
    return 0;
}

void service_init(void)
{
    nsilenced = 0;
    pages = 0;
    memset(routed, 0, sizeof routed);
    add_silence("maintenance");
}

static void route(int level, const char *label, char *reply, size_t cap)
{
    const struct severity *sev = &severities[level];
    if (is_silenced(label)) {
        snprintf(reply, cap, "SILENCED %s", label);
        return;
    }
    routed[level]++;
    if (strcmp(sev->channel, "pager") == 0)
        pages++;
    snprintf(reply, cap, "ROUTED %s %s", sev->name, sev->channel);
}

static void silence(char *labels, char *reply, size_t cap)
{
    int added = 0;
    for (char *label = strtok(labels, ","); label; label = strtok(NULL, ",")) {
        if (is_silenced(label))
            continue;
        if (nsilenced == MAX_SILENCED) {
            snprintf(reply, cap, "ERR at most %d silenced labels", MAX_SILENCED);
            return;
        }
        add_silence(label);
        added++;
    }
    snprintf(reply, cap, "SILENCED %d total=%d", added, nsilenced);
}

void service_handle(char *line, char *reply, size_t cap)
{
    char *command = strtok(line, " ");
    char *first = strtok(NULL, " ");
    char *second = strtok(NULL, " ");
    if (command && first && second && strcmp(command, "ALERT") == 0) {
        int level = parse_level(first);
        if (level < 0)
            snprintf(reply, cap, "ERR unknown severity %s", first);
        else
            route(level, second, reply, cap);
    } else if (command && first && strcmp(command, "SILENCE") == 0) {
        silence(first, reply, cap);
    } else if (command && strcmp(command, "STATS") == 0) {
        snprintf(reply, cap, "STATS debug=%ld info=%ld warning=%ld critical=%ld pages=%ld",
                 routed[0], routed[1], routed[2], routed[3], pages);
    } else {
        snprintf(reply, cap, "ERR usage: ALERT severity label | SILENCE l1,l2 | STATS");
    }
}
