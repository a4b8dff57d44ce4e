package io.candles.consumer.stage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.candles.aggregation.CandleAggregator;
import io.candles.aggregation.CandleAggregator.ClosedCandle;
import io.candles.aggregation.CandleAggregator.Outcome;
import io.candles.aggregation.StreamTime;
import io.candles.consumer.PartitionCommit;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.InvalidRecordException;
import io.candles.domain.Price;
import io.candles.wire.CandleJson;
import io.candles.wire.PriceJson;
import io.candles.wire.Topics;

/**
 * One aggregation stage (prices to 1m, 1m to 2m or 2m to 10m): Kafka records in, finished candles out.
 *
 * <p>The stage decides what may be committed: for each partition, the offset of its oldest record whose work is not
 * done, which is the first record of an open window, of a candle Kafka has not accepted yet, or of a record still
 * being dead-lettered (else the next record not seen yet). Offsets of open windows therefore stay uncommitted and
 * whoever reads the partition next rebuilds those windows from Kafka. One {@link CandleAggregator} per partition; a
 * partition that is revoked or newly assigned starts from scratch, because it is read again from its commit.
 *
 * <p>Why not the connector's per-record acknowledgements: they cost more than the aggregation itself (see
 * docs/performance.md), and a window's first offset says all a commit needs.
 *
 * <p>Thread-safe: records arrive on the channel's thread, rebalance callbacks and commits on the Kafka polling thread,
 * Kafka's verdicts on candles on the producer's thread.
 */
public final class CandleStage {

    private static final Logger LOG = Logger.getLogger(CandleStage.class);

    private final CandlePeriod period;
    private final Optional<CandlePeriod> sourcePeriod;
    private final Duration grace;
    private final CandlePublisher publisher;
    private final boolean deadLetters;
    private final DeadLetterLedger ledger;
    /** Guarded by this; per partition, forgotten with the partition's state. */
    private final StreamTime streamTime;
    /** The partitions this stage reads, with their state; guarded by this. */
    private final Map<Integer, PartitionState> partitions = new HashMap<>();
    private final Set<Integer> owned = new HashSet<>();
    /** False until the first rebalance callback: until then every partition is taken (channel tests). */
    private boolean assignmentsKnown;

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

    /**
     * @param deadLetters whether an unreadable record is sent to the dead-letter topic (nacked) or skipped because
     *                    another stage reading the same topic dead-letters it already
     */
    public CandleStage(CandlePeriod period, Duration grace, Duration maxAhead, CandlePublisher publisher,
            boolean deadLetters, DeadLetterLedger ledger) {
        this.deadLetters = deadLetters;
        this.ledger = ledger;
        this.streamTime = new StreamTime(maxAhead, "candles.max-ahead");
        DeadLetterReason.ALL.forEach(reason -> deadLetteredByReason.put(reason, new LongAdder()));
        this.period = period;
        this.sourcePeriod = period.source();
        this.grace = grace;
        this.publisher = publisher;
    }

    /**
     * One input record.
     *
     * @param timestamp when the record was produced (its Kafka timestamp), epoch milliseconds; -1 when unknown
     * @param message   the record as a message, nacked (so dead-lettered with the reason) when it cannot be read
     */
    public record Input(int partition, long offset, long timestamp, byte[] value, Message<?> message) {
    }

    /**
     * What the stage knows of one partition. Work in flight (candles, dead letters) is counted by the offset it
     * holds back; a callback arriving after the partition was reassigned updates a forgotten instance, harmlessly.
     */
    private final class PartitionState {
        final CandleAggregator<Long> aggregator = new CandleAggregator<>(period, grace);
        /** First offsets of work in flight, with how many pieces of work hold each back. */
        final TreeMap<Long, Integer> inFlight = new TreeMap<>();
        long nextUnseen = -1;
        /**
         * A candle Kafka refused holds its offset back, and every later candle of the partition, until the partition
         * is read afresh.
         */
        long refusedFrom = Long.MAX_VALUE;
        /**
         * A record that could not be dead-lettered holds its offset back until the partition is read afresh (and the
         * record dead-lettered then); the candles of the other records go on.
         */
        long undeadLetteredFrom = Long.MAX_VALUE;
        long lastCommitted = -1;

        long committable() {
            long offset = nextUnseen;
            for (long first : aggregator.openWindowFirstSources()) {
                offset = Math.min(offset, first);
            }
            if (!inFlight.isEmpty()) {
                offset = Math.min(offset, inFlight.firstKey());
            }
            return Math.min(offset, Math.min(refusedFrom, undeadLetteredFrom));
        }

        void started(long firstOffset) {
            inFlight.merge(firstOffset, 1, Integer::sum);
        }

        void finished(long firstOffset) {
            inFlight.computeIfPresent(firstOffset, (offset, count) -> count == 1 ? null : count - 1);
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
        PartitionState state = stateOf(input.partition());
        if (state == null) {
            return List.of(); // polled before its partition was revoked: the new owner reads it again
        }
        state.nextUnseen = Math.max(state.nextUnseen, input.offset() + 1);
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

    /**
     * The offset to commit for each of these partitions that has moved since its last commit; call
     * {@link #committed} once Kafka has taken it.
     */
    public synchronized Map<Integer, Long> toCommit(Collection<Integer> assigned) {
        Map<Integer, Long> offsets = new HashMap<>();
        for (int partition : assigned) {
            PartitionState state = partitions.get(partition);
            if (state != null && state.nextUnseen >= 0) {
                long offset = state.committable();
                if (offset > state.lastCommitted) {
                    offsets.put(partition, offset);
                }
            }
        }
        return offsets;
    }

    /** What goes with the partition's commit: its stream time, for the next reader ({@link StreamTimeCommit}). */
    public synchronized String commitMetadata(int partition) {
        return StreamTimeCommit.encode(streamTime.of(partition));
    }

    /**
     * The partition's last commit, read when it is assigned: its stream time bounds the first records read again.
     * Call after {@link #assigned}.
     */
    public synchronized void resumeFrom(int partition, String commitMetadata) {
        StreamTimeCommit.decode(commitMetadata).ifPresent(ts -> streamTime.seed(partition, ts));
    }

    public synchronized void committed(Map<Integer, Long> offsets) {
        offsets.forEach((partition, offset) -> {
            PartitionState state = partitions.get(partition);
            if (state != null) {
                state.lastCommitted = Math.max(state.lastCommitted, offset);
            }
        });
    }

    /**
     * These partitions go to another instance. Stops taking their records, waits (up to {@code settle}) until the
     * candles already sent for them are accepted, and returns the offset to commit for each. Then forgets their
     * open windows, which the new owner rebuilds from Kafka.
     */
    public synchronized Map<Integer, PartitionCommit> revoke(Collection<Integer> revoked, Duration settle)
            throws InterruptedException {
        owned.removeAll(revoked);
        assignmentsKnown = true;
        long deadline = System.nanoTime() + settle.toNanos();
        while (revoked.stream().map(partitions::get).anyMatch(state -> state != null && !state.inFlight.isEmpty())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warnf("%s stage: candles of %s still in flight after %s; the new owner may publish them again",
                        period.label(), revoked, settle);
                break;
            }
            wait(Math.max(1, left / 1_000_000)); // finished() notifies
        }
        Map<Integer, PartitionCommit> commits = new HashMap<>();
        for (int partition : revoked) {
            PartitionState state = partitions.remove(partition);
            if (state != null && state.nextUnseen >= 0) {
                commits.put(partition, new PartitionCommit(state.committable(), commitMetadata(partition)));
            }
            streamTime.forget(partition);
        }
        return commits;
    }

    /** The new assignment (all of it: the eager protocol): every partition of it is read afresh. */
    public synchronized void assigned(Collection<Integer> assignment) {
        assignmentsKnown = true;
        owned.clear();
        owned.addAll(assignment);
        partitions.clear();
        streamTime.forgetAll();
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

    /** Whether this stage dead-letters unreadable records (or skips them, another stage doing it). */
    public boolean deadLetters() {
        return deadLetters;
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

    private PartitionState stateOf(int partition) {
        PartitionState state = partitions.get(partition);
        if (state == null && (!assignmentsKnown || owned.contains(partition))) {
            state = new PartitionState();
            partitions.put(partition, state);
        }
        return state;
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
        if (!deadLetters) {
            skipped.increment();
            return List.of();
        }
        String topic = sourcePeriod.isEmpty() ? Topics.PRICES : Topics.CANDLES;
        // Not committed past before the dead-letter topic has it. The ledger is asked outside the lock, with the
        // sends: its first answer may wait for the dead-letter topic to be read.
        state.started(input.offset());
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
            if (state.refusedFrom != Long.MAX_VALUE) {
                state.refusedFrom = Math.min(state.refusedFrom, first);
                held.increment();
                continue;
            }
            state.started(first);
            sends.add(() -> publisher.publish(window.candle(), partition, accepted -> settled(state, first, accepted)));
        }
        return sends;
    }

    /** The dead letter of the record at {@code offset} is written, or failed: then that offset stays uncommitted. */
    private synchronized void deadLettered(PartitionState state, long offset, boolean written) {
        if (!written) {
            state.undeadLetteredFrom = Math.min(state.undeadLetteredFrom, offset);
        }
        state.finished(offset);
        notifyAll();
    }

    /** Work holding back {@code firstOffset} is over; if it failed, that offset stays uncommitted. */
    private synchronized void settled(PartitionState state, long firstOffset, boolean succeeded) {
        if (!succeeded) {
            state.refusedFrom = Math.min(state.refusedFrom, firstOffset);
        }
        state.finished(firstOffset);
        notifyAll(); // a revocation may be waiting for this partition's candles
    }

    private String describe(Input input) {
        return sourcePeriod.map(source -> "candles").orElse("prices") + "-" + input.partition() + "@"
                + input.offset();
    }
}
