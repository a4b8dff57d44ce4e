package io.candles.consumer.stage;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.progress.InFlight;
import io.candles.wire.Topics;

/**
 * Sends finished candles of every stage to the {@code candles} topic: key = ticker, partition = the partition number
 * of the input they were built from, so a ticker stays on one partition (and one instance) end to end.
 */
@ApplicationScoped
public class CandlePublisher {

    private static final Logger LOG = Logger.getLogger(CandlePublisher.class);

    private final CandleProducer producer;
    private final Map<CandlePeriod, LongAdder> accepted = new EnumMap<>(CandlePeriod.class);
    private final AtomicLong inFlight = new AtomicLong();
    private volatile String failure;

    @Inject
    public CandlePublisher(CandleProducer producer) {
        this.producer = producer;
        for (CandlePeriod period : CandlePeriod.values()) {
            accepted.put(period, new LongAdder());
        }
    }

    /**
     * @param partition the partition of the input
     * @param onSettled runs once Kafka has accepted the candle (true) or finally refused it (false)
     */
    public void publish(Candle candle, int partition, Consumer<Boolean> onSettled) {
        ProducerRecord<String, Candle> record = new ProducerRecord<>(Topics.CANDLES, partition, candle.ticker(),
                candle);
        inFlight.incrementAndGet();
        try {
            producer.get().send(record, (metadata, error) -> settled(candle, error, onSettled));
        } catch (RuntimeException e) {
            settled(candle, e, onSettled); // refused before it was queued (producer closed)
        }
    }

    private void settled(Candle candle, Exception error, Consumer<Boolean> onSettled) {
        try {
            if (error == null) {
                accepted.get(candle.period()).increment();
            } else {
                // Its inputs stay uncommitted, and a restart rebuilds the candle from Kafka. Liveness turns DOWN so
                // that the restart happens.
                failure = "candle " + candle.ticker() + " " + candle.period().label() + " " + candle.ts()
                        + " was not accepted by Kafka: " + error;
                LOG.error(failure);
            }
            onSettled.accept(error == null);
        } finally {
            inFlight.decrementAndGet(); // only now: "settled" means the stage has taken the verdict too
        }
    }

    /** Waits until no candle is in flight; false if the timeout came first. */
    public boolean awaitSettled(Duration timeout) throws InterruptedException {
        return InFlight.awaitNone(inFlight::get, timeout);
    }

    public long accepted(CandlePeriod period) {
        return accepted.get(period).sum();
    }

    public long inFlight() {
        return inFlight.get();
    }

    /** Why the last candle failed, or null when none has. */
    public String failure() {
        return failure;
    }
}
