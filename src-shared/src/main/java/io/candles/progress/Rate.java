package io.candles.progress;

import java.util.function.LongSupplier;

/**
 * A per-second rate of a growing total between two readings, for the apps' progress lines: each {@link #next} says
 * how fast the total grew since the previous call (or since construction). Not thread-safe: each progress report
 * calls it from its own scheduled, non-overlapping job.
 */
public final class Rate {

    private final LongSupplier clock;
    private long lastTotal;
    private long lastNanos;

    public Rate() {
        this(System::nanoTime);
    }

    /** With a clock in nanoseconds, as tests want. */
    public Rate(LongSupplier nanoClock) {
        this.clock = nanoClock;
        this.lastNanos = nanoClock.getAsLong();
    }

    /** Per second since the last reading; the total is the counter's current value. */
    public double next(long total) {
        long now = clock.getAsLong();
        double perSecond = (total - lastTotal) * 1e9 / Math.max(1, now - lastNanos);
        lastTotal = total;
        lastNanos = now;
        return perSecond;
    }
}
