package com.zed.beam

import java.time.Duration
import java.util.concurrent.atomic.AtomicLong

/** A WaitClock whose sleeps only move its reading forward; checks may advance it to take "time". */
class FakeClock implements WaitClock {
    final AtomicLong now = new AtomicLong()
    final List<Duration> sleeps = Collections.synchronizedList([])

    long nanoTime() { now.get() }

    void sleep(Duration d) {
        sleeps << d
        now.addAndGet(d.toNanos())
    }

    void advance(Duration d) { now.addAndGet(d.toNanos()) }

    long millis() { now.get().intdiv(1_000_000) }
}
