package io.candles.consumer.stage;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.candles.aggregation.CandleAggregator;
import io.candles.aggregation.CandleAggregator.ClosedCandle;
import io.candles.aggregation.CandleAggregator.Outcome;
import io.candles.consumer.PartitionCommit;
import io.candles.consumer.PartitionOffsets;
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
    private final boolean deadLetters;
    private final Map<Integer, CandleAggregator<Input>> aggregators = new HashMap<>();
    private final PartitionOffsets offsets = new PartitionOffsets();
    /** Candles sent and not yet accepted by Kafka, per input partition; guarded by this. */
    private final Map<Integer, Integer> inFlight = new HashMap<>();

    private final LongAdder received = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder skipped = new LongAdder();

    /**
     * @param deadLetters whether an unreadable record is sent to the dead-letter topic (nacked) or skipped because
     *                    another stage reading the same topic dead-letters it already
     */
    public CandleStage(CandlePeriod period, Duration grace, CandlePublisher publisher, boolean deadLetters) {
        this.deadLetters = deadLetters;
        this.period = period;
        this.sourcePeriod = period.source();
        this.grace = grace;
        this.publisher = publisher;
    }

    /** An input record and where it sits, kept with the window it went into until that window's candle is out. */
    private record Input(Message<?> message, int partition, long offset) {
    }

    /** Takes one input record; returns when it is handed over (its acknowledgement may come much later). */
    public synchronized CompletionStage<Void> accept(Message<byte[]> message) {
        Optional<IncomingKafkaRecordMetadata> kafka = message.getMetadata(IncomingKafkaRecordMetadata.class);
        int partition = kafka.map(IncomingKafkaRecordMetadata::getPartition).orElse(-1);
        long offset = kafka.map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
        if (!offsets.owns(partition)) {
            return DONE; // polled before its partition was revoked: the new owner reads it again
        }
        Input input = new Input(message, partition, offset);
        Outcome<Input> outcome;
        try {
            outcome = aggregate(input);
        } catch (InvalidRecordException e) {
            if (!deadLetters) {
                skipped.increment();
                offsets.seen(partition, offset, true);
                return message.ack();
            }
            deadLettered.increment();
            LOG.warnf("%s stage: dead-lettering record %s: %s", period.label(), describe(message), e.getMessage());
            offsets.seen(partition, offset, false);
            return message.nack(e).whenComplete((ok, failure) -> finished(List.of(input)));
        }
        if (outcome == null) {
            offsets.seen(partition, offset, true);
            return message.ack(); // a candle of another period: not this stage's input
        }
        received.increment();
        switch (outcome.disposition()) {
            case LATE -> {
                late.increment();
                LOG.debugf("%s stage: late input dropped: %s", period.label(), describe(message));
                offsets.seen(partition, offset, true);
                return message.ack();
            }
            case DUPLICATE -> {
                duplicates.increment();
                offsets.seen(partition, offset, true);
                return message.ack();
            }
            case ACCEPTED -> {
                offsets.seen(partition, offset, false);
                publish(outcome.closed(), partition);
            }
        }
        return DONE;
    }

    /**
     * These partitions go to another instance. Stops taking their records, waits (up to {@code settle}) until the
     * candles already sent for them are accepted, so that their inputs count as finished, and returns the offset to
     * commit for each: its first record whose candle is not out. Then forgets their open windows, which the new
     * owner rebuilds from Kafka.
     */
    public synchronized Map<Integer, PartitionCommit> revoke(Collection<Integer> partitions, Duration settle)
            throws InterruptedException {
        offsets.stopOwning(partitions);
        long deadline = System.nanoTime() + settle.toNanos();
        while (partitions.stream().anyMatch(partition -> inFlight.getOrDefault(partition, 0) > 0)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warnf("%s stage: candles of %s still in flight after %s; the new owner may publish them again",
                        period.label(), partitions, settle);
                break;
            }
            wait(Math.max(1, left / 1_000_000)); // finished() notifies
        }
        Map<Integer, PartitionCommit> commits = new HashMap<>();
        for (int partition : partitions) {
            offsets.committable(partition).ifPresent(offset -> commits.put(partition, PartitionCommit.offset(offset)));
        }
        lost(partitions);
        return commits;
    }

    /** Forgets these partitions without committing (they were lost). */
    public synchronized void lost(Collection<Integer> partitions) {
        offsets.forget(partitions);
        partitions.forEach(aggregators::remove);
    }

    /** The new assignment (all of it: the eager protocol): every partition of it is read afresh. */
    public synchronized void assigned(Collection<Integer> partitions) {
        offsets.assignedExactly(partitions);
        aggregators.clear();
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

    /** Unreadable records skipped because another stage dead-letters them. */
    public long skipped() {
        return skipped.sum();
    }

    public synchronized int openWindows() {
        return aggregators.values().stream().mapToInt(CandleAggregator::openWindowCount).sum();
    }

    /** Null when the record is a candle of a period this stage does not build from. */
    @SuppressWarnings("unchecked")
    private Outcome<Input> aggregate(Input input) {
        CandleAggregator<Input> aggregator = aggregators.computeIfAbsent(input.partition(),
                p -> new CandleAggregator<>(period, grace));
        byte[] payload = payloadOf((Message<byte[]>) input.message());
        if (sourcePeriod.isEmpty()) {
            return aggregator.add(PriceJson.read(payload), input);
        }
        Candle candle = CandleJson.read(payload);
        return candle.period() == sourcePeriod.get() ? aggregator.add(candle, input) : null;
    }

    private void publish(List<ClosedCandle<Input>> closed, int partition) {
        for (ClosedCandle<Input> window : closed) {
            List<Input> sources = window.sources();
            inFlight.merge(partition, 1, Integer::sum);
            publisher.publish(window.candle(), partition, () -> {
                sources.forEach(source -> source.message().ack());
                accepted(partition, sources);
            });
        }
    }

    private synchronized void accepted(int partition, List<Input> sources) {
        inFlight.merge(partition, -1, Integer::sum);
        finished(sources);
        notifyAll(); // a revocation may be waiting for this partition's candles
    }

    private synchronized void finished(List<Input> inputs) {
        inputs.forEach(input -> offsets.finished(input.partition(), input.offset()));
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
