package io.candles.consumer.stage;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sends finished candles of every stage to the {@code candles} topic: key = ticker, partition = the partition number
 * of the input they were built from, so a ticker stays on one partition (and one instance) end to end.
 */
@ApplicationScoped
public class CandlePublisher {

    private static final Logger LOG = Logger.getLogger(CandlePublisher.class);

    private final Emitter<Candle> emitter;
    private final Map<CandlePeriod, LongAdder> accepted = new EnumMap<>(CandlePeriod.class);
    private final AtomicLong inFlight = new AtomicLong();
    private volatile String failure;

    @Inject
    CandlePublisher(@Channel("candles-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<Candle> emitter) {
        this.emitter = emitter;
        for (CandlePeriod period : CandlePeriod.values()) {
            accepted.put(period, new LongAdder());
        }
    }

    /**
     * @param partition    partition of the input; negative lets Kafka choose (only where there is no input partition)
     * @param onAccepted   runs once Kafka has accepted the candle, typically acknowledging its inputs
     */
    public void publish(Candle candle, int partition, Runnable onAccepted) {
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> kafka = OutgoingKafkaRecordMetadata
                .<String> builder().withKey(candle.ticker());
        if (partition >= 0) {
            kafka.withPartition(partition);
        }
        inFlight.incrementAndGet();
        emitter.send(Message.of(candle, Metadata.of(kafka.build()), () -> {
            accepted.get(candle.period()).increment();
            try {
                onAccepted.run();
            } finally {
                inFlight.decrementAndGet(); // only now: "settled" means the inputs are acknowledged too
            }
            return CompletableFuture.completedFuture(null);
        }, error -> {
            inFlight.decrementAndGet();
            // Its inputs stay unacknowledged: the offsets of that window are never committed past, and a restart
            // rebuilds the candle from Kafka. Liveness turns DOWN so that the restart happens.
            failure = "candle " + candle.ticker() + " " + candle.period().label() + " " + candle.ts()
                    + " was not accepted by Kafka: " + error;
            LOG.error(failure);
            return CompletableFuture.completedFuture(null);
        }));
    }

    /** Waits until no candle is in flight; false if the timeout came first. */
    public boolean awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10); // polls a counter that Kafka callbacks update; the deadline bounds it
        }
        return true;
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
