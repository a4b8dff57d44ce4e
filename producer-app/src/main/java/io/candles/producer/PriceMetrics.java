package io.candles.producer;

import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The producer's counters as Prometheus meters at {@code /q/metrics}: {@code prices_generated_total},
 * {@code prices_acknowledged_total}, {@code prices_failed_total}, {@code prices_in_flight} and the sampled
 * {@code prices_acknowledge_latency_seconds} (count and sum). They read the counters
 * the progress line and the SIGTERM report read, when scraped: one set of counters, nothing added per price.
 */
@Singleton
class PriceMetrics implements MeterBinder {

    private final PriceSender sender;

    @Inject
    PriceMetrics(PriceSender sender) {
        this.sender = sender;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("prices.generated", sender, PriceSender::generated)
                .description("Prices generated and handed to the prices channel").register(registry);
        FunctionCounter.builder("prices.acknowledged", sender, PriceSender::acknowledged)
                .description("Prices Kafka acknowledged").register(registry);
        FunctionCounter.builder("prices.failed", sender, PriceSender::failed)
                .description("Prices Kafka refused for good").register(registry);
        FunctionTimer.builder("prices.acknowledge.latency", sender, PriceSender::timedAcks,
                        PriceSender::timedAckNanos, TimeUnit.NANOSECONDS)
                .description("From hand-over to the channel to Kafka's acknowledgement, one price in "
                        + PriceSender.LATENCY_SAMPLE).register(registry);
        Gauge.builder("prices.in.flight", sender, PriceSender::unsettled)
                .description("Prices generated and not yet acknowledged or failed").register(registry);
    }
}
