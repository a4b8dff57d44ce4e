package io.candles.producer;

import java.time.Instant;
import java.util.Optional;

/** What the generator needs to know about the {@code prices} topic before it sends. */
public interface PriceTopic {

    /**
     * Creates the pipeline's topics if missing and returns the real partition count of {@code prices}.
     *
     * @throws RuntimeException when Kafka cannot be reached; the caller retries
     */
    int prepare();

    /** The newest simulated timestamp already in {@code prices}, to resume after it. */
    Optional<Instant> newestTimestamp();
}
