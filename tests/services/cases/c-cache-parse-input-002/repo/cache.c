/* String cache: a chained hash table of key -> value strings. */
#include "cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 64

struct entry {
    char *key;
    char *value;
    struct entry *next;
};

static struct entry *table[NBUCKETS];
static size_t count;

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h % NBUCKETS;
}

static struct entry *find(const char *key)
{
    for (struct entry *e = table[hash(key)]; e; e = e->next)
        if (strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

static void set(const char *key, const char *value)
{
    struct entry *e = find(key);
    if (e) {
        free(e->value);
        e->value = strdup(value);
        return;
    }
    e = malloc(sizeof *e);
    e->key = strdup(key);
    e->value = strdup(value);
    e->next = table[hash(key)];
    table[hash(key)] = e;
    count++;
}

static int del(const char *key)
{
    for (struct entry **link = &table[hash(key)]; *link; link = &(*link)->next) {
        struct entry *e = *link;
        if (strcmp(e->key, key) == 0) {
            *link = e->next;
            free(e->key);
            free(e->value);
            free(e);
            count--;
            return 1;
        }
    }
    return 0;
}

void service_init(void)
{
    set("motd", "welcome");
}

void service_handle(char *line, char *reply, size_t cap)
{
    char *command = strtok(line, " ");
    char *key = strtok(NULL, " ");
    if (!command) {
        snprintf(reply, cap, "ERR empty request");
    } else if (strcmp(command, "SET") == 0) {
        char *value = strtok(NULL, "");
        if (!key) {
            snprintf(reply, cap, "ERR usage: SET key value");
            return;
        }
        set(key, value);
        snprintf(reply, cap, "OK");
    } else if (strcmp(command, "GET") == 0 && key) {
        struct entry *e = find(key);
        snprintf(reply, cap, e ? "VALUE %s" : "NOT_FOUND", e ? e->value : "");
    } else if (strcmp(command, "LEN") == 0 && key) {
        struct entry *e = find(key);
        if (!e) {
            snprintf(reply, cap, "NOT_FOUND");
            return;
        }
        snprintf(reply, cap, "LEN %zu", strlen(e->value));
    } else if (strcmp(command, "DEL") == 0 && key) {
        snprintf(reply, cap, del(key) ? "OK" : "NOT_FOUND");
    } else if (strcmp(command, "COUNT") == 0) {
        snprintf(reply, cap, "COUNT %zu", count);
    } else {
        snprintf(reply, cap, "ERR usage: SET key value | GET key | LEN key | DEL key | COUNT");
    }
}
