package io.distgate.it.harness;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes and remembers the threads of one relay's event loop group, so that closing the relay can
 * wait until they have really ended: the group's termination future completes a moment before
 * its threads exit.
 */
final class RelayThreads implements ThreadFactory {

    private final String namePrefix;
    private final AtomicInteger count = new AtomicInteger();
    private final List<Thread> started = new CopyOnWriteArrayList<>();

    RelayThreads(String namePrefix) {
        this.namePrefix = namePrefix;
    }

    String namePrefix() {
        return namePrefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        // Daemon: a relay a test forgot to close must not keep the JVM alive.
        Thread thread = new FastThreadLocalThread(task, namePrefix + count.incrementAndGet());
        thread.setDaemon(true);
        started.add(thread);
        return thread;
    }

    /** Whether every thread made so far ended within {@code timeout}. */
    boolean awaitEnded(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : started) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                thread.join(Math.max(1, left / 1_000_000));
            }
            if (thread.isAlive()) {
                return false;
            }
        }
        return true;
    }
}
