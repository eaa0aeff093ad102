package com.zed.beam;

import java.time.Duration;

/**
 * Time as {@link HealthWaiter} and {@link HealthWatch} see it: a monotonic reading and a sleep.
 * {@link #SYSTEM} is {@link System#nanoTime()} and {@link Thread#sleep}; specs pass a fake one whose
 * sleep only moves its reading forward, so windows of minutes are checked in microseconds.
 */
public interface WaitClock {

    /** Nanoseconds from an arbitrary origin; only differences matter. */
    long nanoTime();

    void sleep(Duration d) throws InterruptedException;

    WaitClock SYSTEM = new WaitClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        }
    };
}
