#define _GNU_SOURCE
#include "CThread.h"

#include <pthread.h>
#include <sched.h>

#ifdef __linux__
// Written before pthread_create, read by the new thread after it starts
// (pthread_create orders the two). The mask is the process's, and a second
// spawn writes the same value.
static cpu_set_t process_cpus;
static int process_cpus_known;
#endif

int cthread_spawn(void *(*start)(void *), void *argument) {
    pthread_attr_t attributes;
    int code = pthread_attr_init(&attributes);
    if (code != 0) return code;
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
#ifdef __linux__
    if (sched_getaffinity(0, sizeof process_cpus, &process_cpus) == 0) {
        process_cpus_known = 1;
        cpu_set_t others = process_cpus;
        int here = sched_getcpu();
        if (here >= 0 && here < CPU_SETSIZE) CPU_CLR(here, &others);
        // Only a hint: on failure the thread starts where Linux puts it.
        if (CPU_COUNT(&others) > 0) pthread_attr_setaffinity_np(&attributes, sizeof others, &others);
    }
#endif
    pthread_t thread;
    code = pthread_create(&thread, &attributes, start, argument);
    pthread_attr_destroy(&attributes);
    return code;
}

void cthread_yield(void) { sched_yield(); }

void cthread_spawned(void) {
#ifdef __linux__
    if (process_cpus_known) pthread_setaffinity_np(pthread_self(), sizeof process_cpus, &process_cpus);
#endif
}
