package io.candles.consumer.stage;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.candles.aggregation.CandleAggregator;
import io.candles.aggregation.CandleAggregator.ClosedCandle;
import io.candles.aggregation.CandleAggregator.Outcome;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.InvalidRecordException;
import io.candles.wire.CandleJson;
import io.candles.wire.PriceJson;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * One aggregation stage (prices to 1m, 1m to 2m or 2m to 10m): Kafka records in, finished candles out.
 *
 * <p>An input record is acknowledged only when the candle it went into has been accepted by Kafka, so the offsets
 * of open windows stay uncommitted and whoever owns the partition next rebuilds those windows from Kafka. There
 * is one {@link CandleAggregator} per input partition; a partition that is revoked or newly assigned starts from
 * scratch, because its records are read again from the last committed offset.
 *
 * <p>Thread-safe: records arrive on the channel's thread, rebalance callbacks on the Kafka polling thread.
 */
public final class CandleStage {

    private static final Logger LOG = Logger.getLogger(CandleStage.class);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final CandlePeriod period;
    private final Optional<CandlePeriod> sourcePeriod;
    private final Duration grace;
    private final CandlePublisher publisher;
    private final Map<Integer, CandleAggregator<Message<?>>> aggregators = new HashMap<>();
    private final Set<Integer> assigned = new HashSet<>();
    private boolean assignmentsKnown;

    private final LongAdder received = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();

    public CandleStage(CandlePeriod period, Duration grace, CandlePublisher publisher) {
        this.period = period;
        this.sourcePeriod = period.source();
        this.grace = grace;
        this.publisher = publisher;
    }

    /** Takes one input record; returns when it is handed over (its acknowledgement may come much later). */
    public synchronized CompletionStage<Void> accept(Message<byte[]> message) {
        int partition = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getPartition).orElse(-1);
        if (assignmentsKnown && !assigned.contains(partition)) {
            return DONE; // polled before its partition was revoked: the new owner reads it again
        }
        Outcome<Message<?>> outcome;
        try {
            outcome = aggregate(message, partition);
        } catch (InvalidRecordException e) {
            deadLettered.increment();
            LOG.warnf("%s stage: dead-lettering record %s: %s", period.label(), describe(message), e.getMessage());
            return message.nack(e);
        }
        if (outcome == null) {
            return message.ack(); // a candle of another period: not this stage's input
        }
        received.increment();
        switch (outcome.disposition()) {
            case LATE -> {
                late.increment();
                LOG.debugf("%s stage: late input dropped: %s", period.label(), describe(message));
                return message.ack();
            }
            case DUPLICATE -> {
                duplicates.increment();
                return message.ack();
            }
            case ACCEPTED -> publish(outcome.closed(), partition);
        }
        return DONE;
    }

    /** Forgets the open windows of these partitions; their records will be read again from Kafka. */
    public synchronized void revoked(Collection<Integer> partitions) {
        assignmentsKnown = true;
        assigned.removeAll(partitions);
        partitions.forEach(aggregators::remove);
    }

    /** Starts these partitions afresh: reading resumes at the last committed offset. */
    public synchronized void assigned(Collection<Integer> partitions) {
        assignmentsKnown = true;
        assigned.addAll(partitions);
        partitions.forEach(aggregators::remove);
    }

    public CandlePeriod period() {
        return period;
    }

    public long received() {
        return received.sum();
    }

    public long late() {
        return late.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    public long deadLettered() {
        return deadLettered.sum();
    }

    public synchronized int openWindows() {
        return aggregators.values().stream().mapToInt(CandleAggregator::openWindowCount).sum();
    }

    /** Null when the record is a candle of a period this stage does not build from. */
    private Outcome<Message<?>> aggregate(Message<byte[]> message, int partition) {
        CandleAggregator<Message<?>> aggregator = aggregators.computeIfAbsent(partition,
                p -> new CandleAggregator<>(period, grace));
        if (sourcePeriod.isEmpty()) {
            return aggregator.add(PriceJson.read(payloadOf(message)), message);
        }
        Candle candle = CandleJson.read(payloadOf(message));
        return candle.period() == sourcePeriod.get() ? aggregator.add(candle, message) : null;
    }

    private void publish(List<ClosedCandle<Message<?>>> closed, int partition) {
        for (ClosedCandle<Message<?>> window : closed) {
            List<Message<?>> sources = window.sources();
            publisher.publish(window.candle(), partition, () -> sources.forEach(Message::ack));
        }
    }

    private static byte[] payloadOf(Message<byte[]> message) {
        byte[] payload = message.getPayload();
        if (payload == null) {
            throw new InvalidRecordException("record has no value (null)");
        }
        return payload;
    }

    private static String describe(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(kafka -> kafka.getTopic() + "-" + kafka.getPartition() + "@" + kafka.getOffset())
                .orElse("(no Kafka metadata)");
    }
}
