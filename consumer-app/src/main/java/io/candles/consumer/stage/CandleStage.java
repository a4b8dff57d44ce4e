package io.candles.consumer.stage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.candles.aggregation.CandleAggregator;
import io.candles.aggregation.CandleAggregator.ClosedCandle;
import io.candles.aggregation.CandleAggregator.Outcome;
import io.candles.aggregation.StreamTime;
import io.candles.consumer.kafka.PartitionCommit;
import io.candles.consumer.kafka.PartitionProgress;
import io.candles.consumer.kafka.PartitionWork;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.InvalidRecordException;
import io.candles.domain.Price;
import io.candles.wire.CandleJson;
import io.candles.wire.PriceJson;

/**
 * One aggregation stage (prices to 1m, 1m to 2m or 2m to 10m): Kafka records in, finished candles out.
 *
 * <p>The stage decides what may be committed: for each partition, the offset of its oldest record whose work is not
 * done, which is the first record of an open window, of a candle Kafka has not accepted yet, or of a record still
 * being dead-lettered (else the next record not seen yet). Offsets of open windows therefore stay uncommitted and
 * whoever reads the partition next rebuilds those windows from Kafka. One {@link CandleAggregator} and one
 * {@link PartitionProgress} per owned partition; a partition that is revoked or newly assigned starts from scratch,
 * because it is read again from its commit.
 *
 * <p>Why not the connector's per-record acknowledgements: they cost more than the aggregation itself (see
 * docs/performance.md), and a window's first offset says all a commit needs.
 *
 * <p>Thread-safe: records arrive on the channel's thread, rebalance callbacks and commits on the Kafka polling thread,
 * Kafka's verdicts on candles on the producer's thread.
 */
public final class CandleStage implements PartitionWork {

    private static final Logger LOG = Logger.getLogger(CandleStage.class);
    /** How long a revocation waits for candles in flight, so that their inputs are committed by this instance. */
    static final Duration SETTLE_ON_REVOKE = Duration.ofSeconds(10);

    private final Stage stage;
    private final CandlePeriod period;
    private final Optional<CandlePeriod> sourcePeriod;
    private final Duration grace;
    private final CandlePublisher publisher;
    private final DeadLetterLedger ledger;
    /** Guarded by this; per partition, forgotten with the partition's state. */
    private final StreamTime streamTime;
    /** The partitions this stage owns, with their state; guarded by this. */
    private final Map<Integer, PartitionState> partitions = new HashMap<>();

    private final LongAdder received = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder held = new LongAdder();
    /** Dead letters by {@link DeadLetterReason}; every reason present from the start, so the keys never change. */
    private final Map<String, LongAdder> deadLetteredByReason = new HashMap<>();
    /** Why the last dead-letter write failed, or null; liveness reports it (PipelineHealth). */
    private volatile String deadLetterFailure;

    public CandleStage(Stage stage, Duration grace, Duration maxAhead, CandlePublisher publisher,
            DeadLetterLedger ledger) {
        this.stage = stage;
        this.ledger = ledger;
        this.streamTime = new StreamTime(maxAhead, "candles.max-ahead");
        DeadLetterReason.ALL.forEach(reason -> deadLetteredByReason.put(reason, new LongAdder()));
        this.period = stage.period();
        this.sourcePeriod = period.source();
        this.grace = grace;
        this.publisher = publisher;
    }

    /**
     * One input record.
     *
     * @param timestamp  when the record was produced (its Kafka timestamp), epoch milliseconds; negative when the
     *                   record has none
     * @param generation the consumer group's generation when it was polled
     * @param message    the record as a message, nacked (so dead-lettered with the reason) when it cannot be read
     */
    public record Input(int partition, long offset, long timestamp, int generation, byte[] value,
            Message<?> message) {
    }

    /**
     * What the stage knows of one partition. A callback arriving after the partition was reassigned updates a
     * forgotten instance, harmlessly.
     */
    private final class PartitionState {
        final int generation;
        final CandleAggregator<Long> aggregator = new CandleAggregator<>(period, grace);
        final PartitionProgress progress = new PartitionProgress();
        /**
         * Kafka refused a candle of the partition: its first record is pinned, and every later candle of the
         * partition is held back (pinned too), until the partition is read afresh.
         */
        boolean refused;

        PartitionState(int generation) {
            this.generation = generation;
        }

        /** The first record of each open window bounds the commit: the window is rebuilt from there. */
        long firstOpenWindowRecord() {
            long first = Long.MAX_VALUE;
            for (long source : aggregator.openWindowFirstSources()) {
                first = Math.min(first, source);
            }
            return first;
        }
    }

    /** Takes one input record; what it leads to (a candle, a dead letter) completes later. */
    public void accept(Input input) {
        // Sends (candles, dead letters) go out after the lock is released: a send can block on a full producer buffer
        // until Kafka's I/O thread frees it, and that thread runs the callbacks, which take this lock.
        List<Runnable> sends = take(input);
        for (Runnable send : sends) {
            send.run();
        }
    }

    /** The state changes of one input, under the lock; returns the sends it leads to, in order. */
    private synchronized List<Runnable> take(Input input) {
        PartitionState state = partitions.get(input.partition());
        if (state == null || input.generation() < state.generation) {
            // Polled before its partition was revoked (or assigned again): whoever owns it now reads it again.
            return List.of();
        }
        state.progress.seen(input.offset());
        Outcome<Long> outcome;
        try {
            outcome = aggregate(state, input.partition(), input);
        } catch (InvalidRecordException e) {
            return unreadable(state, input, e);
        }
        if (outcome == null) {
            return List.of(); // a candle of another period: not this stage's input
        }
        received.increment();
        switch (outcome.disposition()) {
            case LATE -> {
                late.increment();
                LOG.debugf("%s stage: late input dropped: %s", period.label(), describe(input));
            }
            case DUPLICATE -> duplicates.increment();
            case ACCEPTED -> {
                return publish(state, input.partition(), outcome);
            }
        }
        return List.of();
    }

    @Override
    public synchronized Map<Integer, PartitionCommit> preCommit() {
        Map<Integer, PartitionCommit> commits = new HashMap<>();
        partitions.forEach((partition, state) -> state.progress.toCommit(state.firstOpenWindowRecord())
                .ifPresent(offset -> commits.put(partition, new PartitionCommit(offset, commitMetadata(partition)))));
        return commits;
    }

    /** What goes with the partition's commit: its stream time, for the next reader ({@link StreamTimeCommit}). */
    private String commitMetadata(int partition) {
        return StreamTimeCommit.encode(streamTime.of(partition));
    }

    @Override
    public synchronized void committed(Map<Integer, PartitionCommit> commits) {
        commits.forEach((partition, commit) -> {
            PartitionState state = partitions.get(partition);
            if (state != null) {
                state.progress.committed(commit.offset());
            }
        });
    }

    /**
     * These partitions go to another instance. Stops taking their records, waits (up to {@link #SETTLE_ON_REVOKE})
     * until the candles already sent for them are accepted, and returns the offset to commit for each. Then forgets
     * their open windows, which the new owner rebuilds from Kafka.
     */
    @Override
    public synchronized Map<Integer, PartitionCommit> close(Collection<Integer> revoked) throws InterruptedException {
        Map<Integer, PartitionState> closing = new HashMap<>();
        revoked.forEach(partition -> {
            PartitionState state = partitions.remove(partition);
            if (state != null) {
                closing.put(partition, state); // no record of it is taken from now on
            }
        });
        long deadline = System.nanoTime() + SETTLE_ON_REVOKE.toNanos();
        while (closing.values().stream().anyMatch(state -> state.progress.busy())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warnf("%s stage: candles of %s still in flight after %s; the new owner may publish them again",
                        period.label(), revoked, SETTLE_ON_REVOKE);
                break;
            }
            wait(Math.max(1, left / 1_000_000)); // settled() notifies
        }
        Map<Integer, PartitionCommit> commits = new HashMap<>();
        closing.forEach((partition, state) -> state.progress.committable(state.firstOpenWindowRecord())
                .ifPresent(offset -> commits.put(partition, new PartitionCommit(offset, commitMetadata(partition)))));
        revoked.forEach(streamTime::forget);
        return commits;
    }

    /**
     * The new assignment (all of it: the eager protocol): every partition of it is read afresh from its commit,
     * whose stream time bounds its first records.
     */
    @Override
    public synchronized void open(Map<Integer, String> committedMetadata, int generation) {
        partitions.clear();
        streamTime.forgetAll();
        committedMetadata.forEach((partition, metadata) -> {
            partitions.put(partition, new PartitionState(generation));
            StreamTimeCommit.decode(metadata).ifPresent(ts -> streamTime.seed(partition, ts));
        });
    }

    /** Forgets these partitions at once: their candles in flight settle on forgotten states, harmlessly. */
    @Override
    public synchronized void lose(Collection<Integer> lost) {
        lost.forEach(partition -> {
            partitions.remove(partition);
            streamTime.forget(partition);
        });
    }

    public Stage stage() {
        return stage;
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

    /** Dead letters of one {@link DeadLetterReason}. */
    public long deadLettered(String reason) {
        return deadLetteredByReason.get(reason).sum();
    }

    /** Candles not published because Kafka refused an earlier one of their partition; rebuilt after the restart. */
    public long held() {
        return held.sum();
    }

    /** Why the last dead-letter write failed, or null when none has. */
    public String deadLetterFailure() {
        return deadLetterFailure;
    }

    /** Unreadable records skipped: another stage dead-letters them, or they are in the dead-letter topic already. */
    public long skipped() {
        return skipped.sum();
    }

    public synchronized int openWindows() {
        return partitions.values().stream().mapToInt(state -> state.aggregator.openWindowCount()).sum();
    }

    /**
     * Null when the record is a candle of a period this stage does not build from. Every candle moves the stream
     * time, whatever its period, as in the other readers of the topic.
     */
    private Outcome<Long> aggregate(PartitionState state, int partition, Input input) {
        byte[] payload = input.value();
        if (payload == null) {
            throw new InvalidRecordException("record has no value (null)");
        }
        if (sourcePeriod.isEmpty()) {
            Price price = PriceJson.read(payload);
            streamTime.accept(partition, price.ts(), input.timestamp());
            return state.aggregator.add(price, input.offset());
        }
        Candle candle = CandleJson.read(payload);
        streamTime.accept(partition, candle.ts(), input.timestamp());
        return candle.period() == sourcePeriod.get() ? state.aggregator.add(candle, input.offset()) : null;
    }

    private List<Runnable> unreadable(PartitionState state, Input input, InvalidRecordException reason) {
        if (!stage.deadLetters()) {
            skipped.increment();
            return List.of();
        }
        String topic = stage.inputTopic();
        // Not committed past before the dead-letter topic has it. The ledger is asked outside the lock, with the
        // sends: its first answer may wait for the dead-letter topic to be read.
        state.progress.hold(input.offset());
        return List.of(() -> {
            if (ledger.contains(topic, input.partition(), input.offset())) {
                // Read again after a crash before its commit: it is in the dead-letter topic already.
                skipped.increment();
                LOG.infof("%s stage: record %s is dead-lettered already, passed: %s", period.label(),
                        describe(input), reason.getMessage());
                deadLettered(state, input.offset(), true);
                return;
            }
            deadLettered.increment();
            deadLetteredByReason.get(DeadLetterReason.of(reason)).increment();
            LOG.warnf("%s stage: dead-lettering record %s: %s", period.label(), describe(input), reason.getMessage());
            input.message().nack(reason).whenComplete((ok, failure) -> {
                if (failure != null) {
                    // Its offset stays uncommitted (see deadLettered): a restart reads the record again and retries.
                    deadLetterFailure = describe(input) + " could not be dead-lettered (" + reason.getMessage()
                            + "): " + failure;
                    LOG.errorf("%s stage: %s; the partition's commit stays before it until a restart", period.label(),
                            deadLetterFailure);
                } else {
                    ledger.written(topic, input.partition(), input.offset());
                }
                deadLettered(state, input.offset(), failure == null);
            });
        });
    }

    /**
     * The sends of the candles these windows close. After Kafka refused a candle of the partition, its later candles
     * are held instead (their inputs stay uncommitted, with the refused one's): published, they would come before the
     * refused candle's rebuild after the restart, which the readers would then drop as not newer.
     */
    private List<Runnable> publish(PartitionState state, int partition, Outcome<Long> outcome) {
        List<Runnable> sends = new ArrayList<>(outcome.closed().size());
        for (ClosedCandle<Long> window : outcome.closed()) {
            long first = window.firstSource();
            if (state.refused) {
                state.progress.pin(first);
                held.increment();
                continue;
            }
            state.progress.hold(first);
            sends.add(() -> publisher.publish(window.candle(), partition, accepted -> settled(state, first, accepted)));
        }
        return sends;
    }

    /** The dead letter of the record at {@code offset} is written, or failed: then that offset stays uncommitted. */
    private synchronized void deadLettered(PartitionState state, long offset, boolean written) {
        if (!written) {
            state.progress.pin(offset);
        }
        state.progress.release(offset);
        notifyAll();
    }

    /** Work holding back {@code firstOffset} is over; if it failed, that offset stays uncommitted. */
    private synchronized void settled(PartitionState state, long firstOffset, boolean succeeded) {
        if (!succeeded) {
            state.progress.pin(firstOffset);
            state.refused = true;
        }
        state.progress.release(firstOffset);
        notifyAll(); // a revocation may be waiting for this partition's candles
    }

    private String describe(Input input) {
        return sourcePeriod.map(source -> "candles").orElse("prices") + "-" + input.partition() + "@"
                + input.offset();
    }
}
