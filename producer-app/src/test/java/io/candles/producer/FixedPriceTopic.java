package io.candles.producer;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/** A {@code prices} topic of 3 partitions that holds nothing yet: for channel tests without Kafka. */
@Alternative
@ApplicationScoped
public class FixedPriceTopic implements PriceTopic {

    static final int PARTITIONS = 3;

    @Override
    public int prepare() {
        return PARTITIONS;
    }

    @Override
    public Optional<Instant> newestTimestamp() {
        return Optional.empty();
    }
}
