package io.candles.producer;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Simulated time of the generator: each round is one {@code step} later than the previous one.
 *
 * <p>It starts at a fixed anchor or just after the newest price already sent, never at the process start alone:
 * a restarted producer must not send prices older than those it sent before (they would be late for the
 * consumers' windows). Not thread-safe.
 */
public final class SimulatedClock {

    private final Instant start;
    private final Duration step;
    private long round;

    private SimulatedClock(Instant start, Duration step) {
        this.start = start;
        this.step = step;
    }

    /**
     * @param fixedStart  configured start, wins when present
     * @param newestSent  the newest timestamp already in the topic, if any
     * @param wallClock   now; used when the topic is empty or its newest price is older
     * @param step        simulated time between rounds ({@code delay x factor})
     */
    public static SimulatedClock resume(Optional<Instant> fixedStart, Optional<Instant> newestSent, Instant wallClock,
            Duration step) {
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("simulated step must be positive, was " + step);
        }
        Instant start = fixedStart.orElse(wallClock);
        if (newestSent.isPresent() && !start.isAfter(newestSent.get())) {
            start = newestSent.get().plus(step);
        }
        return new SimulatedClock(start, step);
    }

    /** The simulated time of the next round. */
    public Instant nextRound() {
        return start.plus(step.multipliedBy(round++));
    }

    public Instant start() {
        return start;
    }
}
