/* Storage quota service: per-user usage against a limit (0 = unlimited). */
#include "quota.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_USERS 64
#define NAME_LEN 32

struct user {
    char name[NAME_LEN];
    long used;
    long limit;
};

static struct user users[MAX_USERS];
static int nusers;

static struct user *find_user(const char *name)
{
    for (int i = 0; i < nusers; i++)
        if (strcmp(users[i].name, name) == 0)
            return &users[i];
    return NULL;
}

static struct user *add_user(const char *name, long limit)
{
    if (nusers == MAX_USERS || strlen(name) >= NAME_LEN)
        return NULL;
    struct user *u = &users[nusers++];
    snprintf(u->name, sizeof u->name, "%s", name);
    u->used = 0;
    u->limit = limit;
    return u;
}

/* Parse a non-negative decimal amount; -1 when the text is not one. */
static long parse_amount(const char *text)
{
    if (!text || !*text)
        return -1;
    char *end;
    long value = strtol(text, &end, 10);
    return (*end != '\0' || value < 0) ? -1 : value;
}

void service_init(void)
{
    nusers = 0;
    add_user("alice", 1000)->used = 120;
    add_user("bob", 1000)->used = 990;
    add_user("root", 0)->used = 52000;
}

static void use(struct user *u, long amount, char *reply, size_t cap)
{
    if (u->limit != 0 && u->used + amount > u->limit) {
        snprintf(reply, cap, "DENIED %s used=%ld limit=%ld", u->name, u->used, u->limit);
        return;
    }
    u->used += amount;
    snprintf(reply, cap, "OK %s used=%ld", u->name, u->used);
}

void service_handle(char *line, char *reply, size_t cap)
{
    char *command = strtok(line, " ");
    char *name = strtok(NULL, " ");
    char *arg = strtok(NULL, " ");
    if (!command || !name) {
        snprintf(reply, cap, "ERR usage: USE user n | FREE user n | QUOTA user | ADDUSER user limit");
        return;
    }
    struct user *u = find_user(name);
    long amount = parse_amount(arg);
    if (strcmp(command, "USE") == 0 || strcmp(command, "FREE") == 0) {
        if (amount < 0) {
            snprintf(reply, cap, "ERR amount must be a non-negative integer");
            return;
        }
        if (!u) {
            snprintf(reply, cap, "ERR unknown user %s", name);
            return;
        }
        if (command[0] == 'U') {
            use(u, amount, reply, cap);
        } else {
            u->used = amount > u->used ? 0 : u->used - amount;
            snprintf(reply, cap, "OK %s used=%ld", u->name, u->used);
        }
    } else if (strcmp(command, "QUOTA") == 0) {
        if (!u) {
            snprintf(reply, cap, "ERR unknown user %s", name);
        } else if (u->limit == 0) {
            snprintf(reply, cap, "QUOTA %s used=%ld unlimited", u->name, u->used);
        } else {
            long percent = u->used * 100 / u->limit;
            snprintf(reply, cap, "QUOTA %s used=%ld limit=%ld percent=%ld", u->name, u->used, u->limit, percent);
        }
    } else if (strcmp(command, "ADDUSER") == 0) {
        if (u) {
            snprintf(reply, cap, "ERR user %s exists", name);
        } else if (amount < 0 || !add_user(name, amount)) {
            snprintf(reply, cap, "ERR cannot add user %s", name);
        } else {
            snprintf(reply, cap, "ADDED %s limit=%ld", name, amount);
        }
    } else {
        snprintf(reply, cap, "ERR unknown command %s", command);
    }
}
