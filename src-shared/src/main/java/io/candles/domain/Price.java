package io.candles.domain;

import java.time.Instant;

/** One observed price of a ticker at event time {@code ts} (the simulated time, not the Kafka record time). */
public record Price(String ticker, double value, Instant ts) {

    /**
     * @throws InvalidRecordException when the ticker is blank, the value is not a finite number >= 0, or ts is
     *                                missing
     */
    public Price {
        FieldRules.requireTicker("price", ticker);
        FieldRules.requirePrice("price.value", value);
        FieldRules.requireTs("price", ts);
    }
}
