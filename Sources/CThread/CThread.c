#define _GNU_SOURCE
#include "CThread.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

/// What a new thread needs before it runs the caller's function; owned by
/// the new thread (each spawn has its own, so concurrent spawns share nothing).
struct spawn {
    void *(*start)(void *);
    void *argument;
#ifdef __linux__
    cpu_set_t process_cpus;
    int restore_cpus;
#endif
};

static void *trampoline(void *raw) {
    struct spawn spawn = *(struct spawn *)raw;
    free(raw);
#ifdef __linux__
    if (spawn.restore_cpus) pthread_setaffinity_np(pthread_self(), sizeof spawn.process_cpus, &spawn.process_cpus);
#endif
    return spawn.start(spawn.argument);
}

int cthread_spawn(void *(*start)(void *), void *argument) {
    struct spawn *spawn = calloc(1, sizeof *spawn);
    if (spawn == NULL) return ENOMEM;
    spawn->start = start;
    spawn->argument = argument;
    pthread_attr_t attributes;
    int code = pthread_attr_init(&attributes);
    if (code != 0) {
        free(spawn);
        return code;
    }
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
#ifdef __linux__
    if (sched_getaffinity(0, sizeof spawn->process_cpus, &spawn->process_cpus) == 0) {
        cpu_set_t others = spawn->process_cpus;
        int here = sched_getcpu();
        if (here >= 0 && here < CPU_SETSIZE) CPU_CLR(here, &others);
        // Only a hint: on failure the thread starts where Linux puts it.
        if (CPU_COUNT(&others) > 0 && pthread_attr_setaffinity_np(&attributes, sizeof others, &others) == 0) {
            spawn->restore_cpus = 1;
        }
    }
#endif
    pthread_t thread;
    code = pthread_create(&thread, &attributes, trampoline, spawn);
    pthread_attr_destroy(&attributes);
    if (code != 0) free(spawn);
    return code;
}

void cthread_yield(void) { sched_yield(); }
