package io.candles.producer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import io.candles.domain.Price;
import io.candles.progress.InFlight;
import io.candles.wire.PriceJson;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * The {@code prices} channel: every generated price leaves as a message whose {@link OutgoingKafkaRecordMetadata}
 * carries key = ticker and the partition the generator computed for it. The message's acknowledgement and negative
 * acknowledgement count what Kafka acknowledged or finally refused.
 *
 * <p>The payload is the price's JSON ({@link PriceJson}), written here on the generator's thread: the connector sends
 * every message from one thread of its own, which the profile showed to be the channel's bottleneck, and JSON was a
 * fifth of that thread's time (docs/performance.md). The channel's value serializer passes the bytes on.
 *
 * <p>Back-pressure is the channel's demand: the Kafka connector asks for {@code max-inflight-messages} messages
 * (set to {@code generator.max-in-flight}) and for one more each time Kafka settles one, so {@link #send} waits while
 * that many prices are unacknowledged, which is how a slow or absent broker slows the generator down.
 */
@ApplicationScoped
public class PriceSender {

    private static final Logger LOG = Logger.getLogger(PriceSender.class);
    private static final long FAILURE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
    /** Longest park between two looks at the demand; a wake-up normally comes with the demand itself. */
    private static final long DEMAND_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final AtomicReference<MultiEmitter<? super Message<byte[]>>> channel = new AtomicReference<>();
    /** The generator thread while it waits for demand, else null. */
    private volatile Thread waitingForDemand;
    private final LongAdder generated = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - FAILURE_LOG_INTERVAL_NANOS);
    /** One instance each, shared by every message: nothing per price beyond the message and its metadata. */
    private final Function<Metadata, CompletionStage<Void>> onAck = this::acknowledged;
    /** One price in {@value #LATENCY_SAMPLE} is timed from hand-over to acknowledgement: no per-price cost. */
    static final int LATENCY_SAMPLE = 1024;
    /** Prices handed over, counted on the generator thread alone (send is not called concurrently). */
    private long handedOver;
    private final LongAdder timedAcks = new LongAdder();
    private final LongAdder timedAckNanos = new LongAdder();
    private final BiFunction<Throwable, Metadata, CompletionStage<Void>> onNack = this::refused;

    /**
     * The stream the Kafka connector subscribes to. Items are emitted only against demand, so the overflow strategy
     * never applies.
     */
    @Outgoing("prices")
    Multi<Message<byte[]>> prices() {
        return Multi.createFrom().<Message<byte[]>> emitter(this::attach, BackPressureStrategy.ERROR);
    }

    private void attach(MultiEmitter<? super Message<byte[]>> emitter) {
        emitter.onRequest(demand -> wakeGenerator());
        emitter.onTermination(this::wakeGenerator);
        channel.set(emitter);
        wakeGenerator();
    }

    /**
     * What every message of this ticker carries: key = ticker and its partition. Metadata is immutable, so one
     * instance serves all of the ticker's messages (a new one per price showed up as a fifth of the channel's garbage).
     */
    public static Metadata routeOf(String ticker, int partition) {
        return Metadata.of(OutgoingKafkaRecordMetadata.<String> builder().withKey(ticker).withPartition(partition)
                .build());
    }

    /**
     * Hands one price to the channel, waiting while the channel asks for none.
     *
     * @param route the {@link #routeOf} the price's ticker
     */
    public void send(Price price, Metadata route) throws InterruptedException {
        MultiEmitter<? super Message<byte[]>> emitter = awaitDemand();
        generated.increment();
        Function<Metadata, CompletionStage<Void>> ack = onAck;
        if (++handedOver % LATENCY_SAMPLE == 0) {
            long handedAt = System.nanoTime();
            ack = metadata -> {
                timedAckNanos.add(System.nanoTime() - handedAt);
                timedAcks.increment();
                return acknowledged(metadata);
            };
        }
        emitter.emit(Message.of(PriceJson.write(price), route, ack, onNack));
    }

    private MultiEmitter<? super Message<byte[]>> awaitDemand() throws InterruptedException {
        while (true) {
            MultiEmitter<? super Message<byte[]>> emitter = channel.get();
            if (emitter != null && emitter.requested() > 0) {
                return emitter;
            }
            // Announce the wait, then look again: demand arriving in between wakes this thread (wakeGenerator).
            waitingForDemand = Thread.currentThread();
            try {
                emitter = channel.get();
                if (emitter == null || emitter.requested() == 0) {
                    LockSupport.parkNanos(this, DEMAND_RECHECK_NANOS);
                }
            } finally {
                waitingForDemand = null;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private void wakeGenerator() {
        Thread waiting = waitingForDemand;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }

    private CompletionStage<Void> acknowledged(Metadata metadata) {
        acknowledged.increment();
        return DONE;
    }

    private CompletionStage<Void> refused(Throwable failure, Metadata metadata) {
        failed.increment();
        logFailure(metadata, failure);
        return DONE;
    }

    /** Waits until every generated price is acknowledged or failed; false if the timeout came first. */
    public boolean awaitSettled(Duration timeout) throws InterruptedException {
        return InFlight.awaitNone(this::unsettled, timeout);
    }

    /** Sampled prices acknowledged, and their time from hand-over to acknowledgement, for the latency timer. */
    public long timedAcks() {
        return timedAcks.sum();
    }

    public double timedAckNanos() {
        return timedAckNanos.sum();
    }

    public long generated() {
        return generated.sum();
    }

    public long acknowledged() {
        return acknowledged.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long unsettled() {
        return generated.sum() - acknowledged.sum() - failed.sum();
    }

    private void logFailure(Metadata metadata, Throwable failure) {
        long now = System.nanoTime();
        long last = lastFailureLog.get();
        // At most one line per interval: a broker outage fails records by the thousand.
        if (now - last >= FAILURE_LOG_INTERVAL_NANOS && lastFailureLog.compareAndSet(last, now)) {
            String ticker = metadata.get(OutgoingKafkaRecordMetadata.class).map(route -> route.getKey())
                    .map(String::valueOf).orElse("?");
            LOG.errorf("Kafka refused a price of %s (%d failed so far): %s", ticker, failed.sum(), failure.toString());
        }
    }
}
