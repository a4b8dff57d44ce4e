package io.candles.consumer.sink;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.jboss.logging.Logger;

import io.candles.consumer.PartitionCommit;
import io.candles.consumer.PartitionOffsets;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;

/**
 * Accumulates candles per period and appends them to the files in batches of exactly {@code batchSize}; a candle's
 * acknowledgement runs only after its batch is on disk. Forcing is what costs (an fsync per file), so it happens once
 * per file per delivery ({@link #addDelivery}: one Kafka poll batch), after all of its batches were appended.
 *
 * <p>Duplicates are dropped here: within a partition each series (ticker and period) arrives in time order, so a
 * candle not newer than the newest one already written or buffered for its series is a redelivery (first one
 * wins). The written high-water marks come from the files at start-up ({@link CandleFiles#recoverHighWaterMarks}).
 *
 * <p>When a write or a force fails (directory gone, disk full) the files are cut back to what was forced, the batches
 * that were not forced go back to the buffers, nothing of them is acknowledged, and {@link #retry()} tries again.
 * Every method that appends also forces (or cuts back) before it returns, so outside this object's lock no batch is
 * ever appended but not forced: a revocation sees only forced batches as written. Thread-safe.
 */
public final class CandleBatchWriter {

    private static final Logger LOG = Logger.getLogger(CandleBatchWriter.class);

    /**
     * One record of a delivered Kafka batch: its candle (null for a record that is not one, which counts as done),
     * where it came from ({@code offset} -1 when not from Kafka), and how to acknowledge it.
     */
    public record Delivered(Candle candle, int partition, long offset, Runnable ack) {
    }

    /** A buffered candle: where it came from and how to acknowledge it once written. */
    private record Pending(Candle candle, int partition, long offset, Runnable ack, long bufferedAtNanos) {
    }

    /** A batch appended to its period's file but not forced to disk yet: none of it is acknowledged. */
    private record AppendedBatch(CandlePeriod period, List<Pending> candles) {
    }

    private final CandleFiles files;
    private final int batchSize;
    private final Map<CandlePeriod, ArrayDeque<Pending>> buffers = new EnumMap<>(CandlePeriod.class);
    /** In append order; empty whenever the lock is free (see the class comment). */
    private final List<AppendedBatch> appended = new ArrayList<>();
    private final Map<CandlePeriod, Map<String, Instant>> writtenMarks = new EnumMap<>(CandlePeriod.class);
    private final Map<CandlePeriod, Map<String, Instant>> acceptedMarks = new EnumMap<>(CandlePeriod.class);
    private final Map<CandlePeriod, Long> written = new EnumMap<>(CandlePeriod.class);
    private final PartitionOffsets offsets = new PartitionOffsets();
    /** The tickers whose candles came from each partition, for the marks that go with its revocation commit. */
    private final Map<Integer, Set<String>> tickersByPartition = new HashMap<>();
    private boolean warnedMetadataTooLarge;
    private long batches;
    private long timedWrites;
    private long timedWriteNanos;
    private long duplicates;
    private boolean recovered;
    private String failure;

    public CandleBatchWriter(CandleFiles files, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("candles.batch-size must be >= 1, was " + batchSize);
        }
        this.files = files;
        this.batchSize = batchSize;
        for (CandlePeriod period : CandlePeriod.values()) {
            buffers.put(period, new ArrayDeque<>());
            written.put(period, 0L);
            writtenMarks.put(period, new HashMap<>());
            acceptedMarks.put(period, new HashMap<>());
        }
    }

    /**
     * Reads the high-water marks back from the files, once. Returns false (and reports why in {@link #failure()})
     * while the directory cannot be read or created; nothing may be written before this succeeds.
     */
    public synchronized boolean recover() {
        if (recovered) {
            return true;
        }
        try {
            Map<CandlePeriod, Map<String, Instant>> marks = files.recoverHighWaterMarks();
            // Merged, not replaced: marks adopted from a previous owner's commit may already be here.
            marks.forEach((period, newest) -> newest.forEach((ticker, ts) -> raiseMarks(period, ticker, ts)));
            recovered = true;
            clearFailure();
        } catch (DirectoryInUseException e) {
            throw e; // not a passing failure: retrying would not help
        } catch (IOException | RuntimeException e) {
            fail("cannot read or create " + files.directory() + ": " + e);
        }
        return recovered;
    }

    /** {@link #add(Candle, int, long, Runnable)} for a candle without a Kafka offset (channel tests). */
    public void add(Candle candle, int partition, Runnable ack) {
        add(candle, partition, -1, ack);
    }

    /** A delivery of one candle: see {@link #addDelivery}. */
    public void add(Candle candle, int partition, long offset, Runnable ack) {
        addDelivery(List.of(new Delivered(candle, partition, offset, ack)));
    }

    /**
     * Takes the records of one delivered Kafka batch, in order: buffers each candle (or drops it as a duplicate,
     * acknowledging it), appends every full batch, then forces each file written to once and only then acknowledges
     * the candles of those batches. A candle of a partition this instance no longer owns is ignored: its new owner
     * reads it again. Returns false when writing failed (see {@link #failure()}); {@link #retry()} then tries again.
     */
    public synchronized boolean addDelivery(List<Delivered> delivery) {
        if (!recovered) {
            throw new IllegalStateException("recover() must succeed before candles are added");
        }
        long started = System.nanoTime();
        long batchesBefore = batches;
        for (Delivered record : delivery) {
            if (record.candle() == null) {
                offsets.seen(record.partition(), record.offset(), true);
                record.ack().run();
            } else if (buffer(record) && failure == null) {
                writeFullBatches(record.candle().period());
            }
        }
        boolean written = failure == null && forceAppended();
        if (written && batches > batchesBefore) {
            // Once per delivery, not per candle: the appends of the delivery and their one force per file.
            timedWrites++;
            timedWriteNanos += System.nanoTime() - started;
        }
        return written;
    }

    /** Deliveries that appended at least one batch, for the candle_batch_write_seconds timer. */
    public synchronized long timedWrites() {
        return timedWrites;
    }

    /** Their time from delivery to forced, in nanoseconds. */
    public synchronized double timedWriteNanos() {
        return timedWriteNanos;
    }

    /** Buffers a delivered candle; false when it was not (a duplicate, acknowledged, or not this instance's). */
    private boolean buffer(Delivered record) {
        Candle candle = record.candle();
        int partition = record.partition();
        long offset = record.offset();
        Runnable ack = record.ack();
        if (!offsets.owns(partition)) {
            return false;
        }
        if (partition >= 0) {
            tickersByPartition.computeIfAbsent(partition, p -> new HashSet<>()).add(candle.ticker());
        }
        Map<String, Instant> accepted = acceptedMarks.get(candle.period());
        Instant newest = accepted.get(candle.ticker());
        if (newest != null && !candle.ts().isAfter(newest)) {
            duplicates++;
            offsets.seen(partition, offset, true);
            ack.run();
            return false;
        }
        accepted.put(candle.ticker(), candle.ts());
        offsets.seen(partition, offset, false);
        buffers.get(candle.period()).add(new Pending(candle, partition, offset, ack, System.nanoTime()));
        return true;
    }

    /** Tries the writes (and forces) that failed before; true when nothing is left failing. */
    public synchronized boolean retry() {
        if (!recover()) {
            return false;
        }
        for (CandlePeriod period : CandlePeriod.values()) {
            if (!writeFullBatches(period)) {
                return false;
            }
        }
        if (!forceAppended()) {
            return false;
        }
        clearFailure();
        return true;
    }

    /** Writes whatever is buffered, partial batches included (shutdown). True when all of it was written. */
    public synchronized boolean flushAll() {
        return flushWhere(pending -> true);
    }

    /** Writes the partial batch of each period whose oldest candle has waited at least {@code linger}. */
    public synchronized boolean flushOlderThan(Duration linger) {
        long threshold = System.nanoTime() - linger.toNanos();
        return flushWhere(pending -> pending.bufferedAtNanos() <= threshold);
    }

    /** Closes the files (shutdown). Everything acknowledged is on disk already. */
    public synchronized void close() {
        files.close();
    }

    /**
     * The new assignment, all of it (the eager protocol): buffered candles of any other partition are dropped
     * unacknowledged, in case their revocation was never heard of (a lost partition).
     */
    public synchronized void assigned(Collection<Integer> partitions) {
        Set<Integer> others = new HashSet<>();
        buffers.values().forEach(buffer -> buffer.forEach(pending -> others.add(pending.partition())));
        others.removeAll(partitions);
        others.remove(-1);
        if (!others.isEmpty()) {
            dropPartitions(others);
        }
        offsets.assignedExactly(partitions);
    }

    /**
     * These partitions go to another instance: returns the offset to commit for each (the first candle not yet
     * written), then drops their buffered candles unacknowledged; the new owner reads them again. Candles of these
     * partitions that still arrive afterwards are ignored.
     */
    public synchronized Map<Integer, PartitionCommit> revoke(Collection<Integer> partitions) {
        Map<Integer, PartitionCommit> commits = new HashMap<>();
        for (int partition : partitions) {
            String marks = HighWaterMarkCodec.encode(writtenMarksOf(tickersByPartition.getOrDefault(partition,
                    Set.of()))).orElse(null);
            if (marks == null && !warnedMetadataTooLarge) {
                warnedMetadataTooLarge = true;
                LOG.warnf("Too many series on partition %d for Kafka commit metadata (> %d chars): candles handed "
                        + "to another instance may be written again there", partition, HighWaterMarkCodec.MAX_CHARS);
            }
            offsets.committable(partition)
                    .ifPresent(offset -> commits.put(partition, new PartitionCommit(offset, marks)));
        }
        dropPartitions(partitions);
        return commits;
    }

    private Map<CandlePeriod, Map<String, Instant>> writtenMarksOf(Set<String> tickers) {
        Map<CandlePeriod, Map<String, Instant>> marks = new EnumMap<>(CandlePeriod.class);
        writtenMarks.forEach((period, newest) -> tickers.forEach(ticker -> {
            Instant ts = newest.get(ticker);
            if (ts != null) {
                marks.computeIfAbsent(period, p -> new HashMap<>()).put(ticker, ts);
            }
        }));
        return marks;
    }

    /**
     * Takes over what the partition's previous owner wrote (from its revocation commit): those candles are in its
     * files, so the same ones delivered here again are duplicates. Returns false for metadata it cannot read.
     */
    public synchronized boolean adopt(String commitMetadata) {
        Optional<Map<CandlePeriod, Map<String, Instant>>> marks = HighWaterMarkCodec.decode(commitMetadata);
        marks.ifPresent(adopted -> adopted.forEach((period, newest) -> newest.forEach((ticker, ts) ->
                raiseMarks(period, ticker, ts))));
        return marks.isPresent();
    }

    /** Records that the series' candles up to {@code ts} are written (here, or by a previous owner). */
    private void raiseMarks(CandlePeriod period, String ticker, Instant ts) {
        writtenMarks.computeIfAbsent(period, p -> new HashMap<>()).merge(ticker, ts, CandleBatchWriter::later);
        acceptedMarks.computeIfAbsent(period, p -> new HashMap<>()).merge(ticker, ts, CandleBatchWriter::later);
    }

    static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Drops the buffered candles of partitions this instance lost, unacknowledged: the new owner gets them. */
    public synchronized int dropPartitions(Collection<Integer> partitions) {
        offsets.forget(partitions);
        Set<Integer> lost = new HashSet<>(partitions);
        int dropped = 0;
        for (CandlePeriod period : CandlePeriod.values()) {
            ArrayDeque<Pending> buffer = buffers.get(period);
            int before = buffer.size();
            buffer.removeIf(pending -> lost.contains(pending.partition()));
            dropped += before - buffer.size();
            Map<String, Instant> accepted = new HashMap<>(writtenMarks.getOrDefault(period, Map.of()));
            buffer.forEach(pending -> accepted.merge(pending.candle().ticker(), pending.candle().ts(),
                    CandleBatchWriter::later));
            acceptedMarks.put(period, accepted);
        }
        return dropped;
    }

    public synchronized boolean healthy() {
        return failure == null;
    }

    /** Why writing stopped, or null. */
    public synchronized String failure() {
        return failure;
    }

    public synchronized long written(CandlePeriod period) {
        return written.get(period);
    }

    public synchronized int buffered(CandlePeriod period) {
        return buffers.get(period).size();
    }

    public synchronized long batches() {
        return batches;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    private boolean flushWhere(Predicate<Pending> oldestQualifies) {
        if (!recovered) {
            return buffers.values().stream().allMatch(ArrayDeque::isEmpty); // e.g. a shutdown before any candle
        }
        if (failure != null && !retry()) {
            return false;
        }
        for (CandlePeriod period : CandlePeriod.values()) {
            ArrayDeque<Pending> buffer = buffers.get(period);
            while (!buffer.isEmpty() && oldestQualifies.test(buffer.peekFirst())) {
                if (!writeBatch(period, Math.min(batchSize, buffer.size()))) {
                    return false;
                }
            }
        }
        return forceAppended();
    }

    private boolean writeFullBatches(CandlePeriod period) {
        while (buffers.get(period).size() >= batchSize) {
            if (!writeBatch(period, batchSize)) {
                return false;
            }
        }
        return true;
    }

    /** Appends the oldest {@code count} buffered candles of the period as one batch; acknowledged once forced. */
    private boolean writeBatch(CandlePeriod period, int count) {
        ArrayDeque<Pending> buffer = buffers.get(period);
        List<Pending> batch = new ArrayList<>(count);
        List<Candle> candles = new ArrayList<>(count);
        for (Pending pending : buffer) {
            if (batch.size() == count) {
                break;
            }
            batch.add(pending);
            candles.add(pending.candle());
        }
        try {
            files.append(period, candles);
        } catch (IOException | RuntimeException e) {
            // The files cut every unforced batch off, this one's earlier companions included: append them again later.
            returnToBuffers(List.copyOf(appended));
            appended.clear();
            fail("cannot write " + files.fileOf(period) + ": " + e);
            return false;
        }
        batch.forEach(pending -> buffer.removeFirst());
        appended.add(new AppendedBatch(period, batch));
        return true;
    }

    /**
     * Forces each file that has appended batches, once, then acknowledges their candles and counts their records as
     * finished (so a revocation commits past them and carries their marks). When a force fails, the files forced
     * before it keep their batches (acknowledged here), the others were cut back and their batches are buffered again.
     */
    private boolean forceAppended() {
        if (appended.isEmpty()) {
            return true;
        }
        List<AppendedBatch> batches = List.copyOf(appended);
        appended.clear();
        Set<CandlePeriod> forced = EnumSet.noneOf(CandlePeriod.class);
        String forceFailure = null;
        for (AppendedBatch batch : batches) {
            if (forced.contains(batch.period())) {
                continue;
            }
            try {
                files.force(batch.period());
            } catch (IOException | RuntimeException e) {
                forceFailure = "cannot force " + files.fileOf(batch.period()) + " to disk: " + e;
                break;
            }
            forced.add(batch.period());
        }
        List<AppendedBatch> unforced = new ArrayList<>();
        for (AppendedBatch batch : batches) {
            if (forced.contains(batch.period())) {
                settle(batch);
            } else {
                unforced.add(batch);
            }
        }
        if (forceFailure != null) {
            returnToBuffers(unforced);
            fail(forceFailure);
            return false;
        }
        return true;
    }

    /** The batch is on disk: its marks count as written, its records as finished, its candles are acknowledged. */
    private void settle(AppendedBatch batch) {
        Map<String, Instant> marks = writtenMarks.get(batch.period());
        for (Pending pending : batch.candles()) {
            marks.merge(pending.candle().ticker(), pending.candle().ts(), CandleBatchWriter::later);
            offsets.finished(pending.partition(), pending.offset());
            pending.ack().run();
        }
        written.merge(batch.period(), (long) batch.candles().size(), Long::sum);
        batches++;
    }

    /** Puts batches that were cut off the files back at the front of their buffers, in their original order. */
    private void returnToBuffers(List<AppendedBatch> batches) {
        for (int i = batches.size() - 1; i >= 0; i--) {
            AppendedBatch batch = batches.get(i);
            ArrayDeque<Pending> buffer = buffers.get(batch.period());
            for (int j = batch.candles().size() - 1; j >= 0; j--) {
                buffer.addFirst(batch.candles().get(j));
            }
        }
    }

    private void fail(String reason) {
        if (failure == null) {
            LOG.errorf("Candle files unavailable, nothing is acknowledged until they are back: %s", reason);
        }
        failure = reason;
    }

    private void clearFailure() {
        if (failure != null) {
            LOG.infof("Candle files writable again in %s", files.directory());
            failure = null;
        }
    }
}
