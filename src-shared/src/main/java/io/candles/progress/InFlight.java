package io.candles.progress;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The shutdown drains' wait: until what the apps sent is settled by Kafka (producer-app's prices, consumer-app's
 * candles). The counts are kept by Kafka's callbacks, which have nothing to signal with; the wait looks at the count
 * every 10 ms, bounded by a deadline.
 */
public final class InFlight {

    private static final long LOOK_EVERY_MILLIS = 10;

    private InFlight() {
    }

    /** Waits until {@code inFlight} reads zero; false if {@code timeout} passed first. */
    public static boolean awaitNone(LongSupplier inFlight, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.getAsLong() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(LOOK_EVERY_MILLIS);
        }
        return true;
    }
}
