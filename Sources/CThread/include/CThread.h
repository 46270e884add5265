#ifndef MNIST_CTHREAD_H
#define MNIST_CTHREAD_H

/// Starts `start(argument)` on a new detached thread, on another CPU than the
/// caller's when the process may use more than one (Linux).
///
/// Linux starts a new thread on its parent's CPU. On this project's 2-core
/// machine, a thread started while its parent computes shared that CPU for
/// several milliseconds before the load balancer moved it, with the other CPU
/// idle (measured: in 6 of 10 runs, one of two 10 ms spin loops, parent and
/// child, got only 4.4 to 6.0 ms of CPU; with the mask, both got 10 in every
/// run). So the thread is created with its parent's CPU taken out of its
/// affinity mask, and the new thread gets the whole mask back before it calls
/// `start`.
///
/// Returns 0 or an error number (`pthread_create`'s, or ENOMEM).
int cthread_spawn(void *(*start)(void *), void *argument);

/// A spin-wait hint to the CPU (x86 `pause`, arm64 `yield`): the waiting loop
/// then leaves the core's resources to other work and exits it without a
/// memory-order mis-speculation.
static inline void cthread_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/// `sched_yield`: lets another runnable thread have this CPU.
void cthread_yield(void);

#endif
