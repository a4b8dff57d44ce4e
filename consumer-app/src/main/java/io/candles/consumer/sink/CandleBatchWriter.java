package io.candles.consumer.sink;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import org.jboss.logging.Logger;

import io.candles.consumer.kafka.PartitionCommit;
import io.candles.consumer.sink.PeriodBatches.Pending;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;

/**
 * What the sink does with a delivered Kafka batch, in order: take its candles (dropping repeats, see
 * {@link WrittenMarks}), record in {@code candles-sink-marks} the tickers it has never recorded there, append every
 * full batch of {@code batchSize} to its period's file, force each file written to once, then record the new marks
 * of the tickers written. Only then are the candles' records done ({@link SinkPartitions}), so a commit never passes
 * a candle that the next owner of its partition would not know is written. Forcing is what costs (an fsync per file),
 * so it happens once per file per delivery, not once per batch.
 *
 * <p>Why a ticker is recorded before its first candle is forced: after a crash between a force and the record that
 * follows it, this instance finds on restart what its files hold beyond the records, but only for the tickers the
 * topic names on the partitions it is assigned (the candle files do not say which partition a ticker is on).
 *
 * <p>When a write or a force fails (directory gone, disk full) the files are cut back to what was forced and the
 * batches not forced go back to the buffers; when the marks cannot be read or recorded, nothing moves past them.
 * {@link #prepare()} tries again. Every method that appends also forces (or cuts back) before it returns, so outside
 * this object's lock no batch is ever appended but not forced. Thread-safe.
 */
public final class CandleBatchWriter {

    private static final Logger LOG = Logger.getLogger(CandleBatchWriter.class);

    /**
     * One record of a delivered Kafka batch: its candle (null for a record that is not one, which counts as done)
     * where it came from, and the consumer group's generation when it was polled.
     */
    public record Delivered(Candle candle, int partition, long offset, int generation) {
    }

    private final CandleFiles files;
    private final int batchSize;
    private final PeriodBatches batches = new PeriodBatches();
    private final BatchAppends appends;
    private final WrittenMarks marks = new WrittenMarks();
    private final SinkPartitions partitions = new SinkPartitions();
    private final MarksRecords records;
    // The counters and the failure are read without the lock (metrics, progress line, health checks), which must not
    // wait for a write or a read of marks in progress.
    private final Map<CandlePeriod, LongAdder> written = new EnumMap<>(CandlePeriod.class);
    private final LongAdder batchCount = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder timedWrites = new LongAdder();
    private final LongAdder timedWriteNanos = new LongAdder();
    private volatile String failure;
    private boolean recovered;

    public CandleBatchWriter(CandleFiles files, int batchSize, MarksStore store) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("candles.batch-size must be at least 1, was " + batchSize);
        }
        this.files = files;
        this.batchSize = batchSize;
        this.appends = new BatchAppends(files, batches);
        this.records = new MarksRecords(store, marks, partitions);
        for (CandlePeriod period : CandlePeriod.values()) {
            written.put(period, new LongAdder());
        }
    }

    /**
     * Takes the output directory's lock and reads the written marks back from the files, once. False (with
     * {@link #failure()} saying why) while the directory cannot be read or created.
     *
     * @throws DirectoryInUseException when another running instance holds the directory: retrying would not help
     */
    public synchronized boolean recover() {
        if (recovered) {
            return true;
        }
        try {
            marks.raise(files.recoverHighWaterMarks());
            recovered = true;
            clearFailure();
        } catch (DirectoryInUseException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            fail("cannot read or create " + files.directory() + ": " + e);
        }
        return recovered;
    }

    /**
     * Makes the writer ready for the next delivery: the files recovered, the marks of every owned partition read,
     * and what failed before (appends, forces, records of marks) done. False, with {@link #failure()} saying why,
     * when something still fails; call again.
     */
    public synchronized boolean prepare() {
        if (recover() && ok(records.readUnread()) && drain(period -> false)) {
            clearFailure();
            return true;
        }
        return false;
    }

    /**
     * Takes the records of one delivered Kafka batch, in order, and writes every full batch (see the class comment).
     * A record of a partition this instance does not own, or polled before its assignment (an older generation), or
     * whose marks it has not read since it was assigned, is ignored: it was polled before a rebalance, and whoever
     * owns the partition reads it again from its commit. Call after
     * {@link #prepare()} returned true; false when writing failed (then {@link #prepare()} until it succeeds).
     */
    public synchronized boolean addDelivery(List<Delivered> delivery) {
        if (!recovered) {
            throw new IllegalStateException("prepare() must succeed before candles are added");
        }
        long started = System.nanoTime();
        long batchesBefore = batchCount.sum();
        for (Delivered record : delivery) {
            take(record);
        }
        boolean done = drain(period -> false);
        if (done && batchCount.sum() > batchesBefore) {
            // Once per delivery, not per candle: the appends of the delivery, their forces and records.
            timedWrites.increment();
            timedWriteNanos.add(System.nanoTime() - started);
        }
        return done;
    }

    /**
     * Writes whatever is buffered, partial batches included, and records its marks (shutdown): at most two writes of
     * marks, the new tickers' before the force and the marks after it. True when all of it was written; false at once
     * while writing fails (what is buffered is read again after the restart).
     */
    public synchronized boolean flushAll() {
        if (!recovered || failure != null) {
            return batches.candles().isEmpty(); // e.g. a shutdown before any candle
        }
        return drain(period -> true);
    }

    /** Writes the partial batch of each period whose oldest candle has waited at least {@code linger}. */
    public synchronized boolean flushOlderThan(Duration linger) {
        long bufferedBy = System.nanoTime() - linger.toNanos();
        return recovered && prepare() && drain(period -> batches.oldestBufferedBy(period, bufferedBy));
    }

    /** Closes the files (shutdown). What was recorded is on disk already. */
    public synchronized void close() {
        files.close();
    }

    /**
     * The new assignment, all of it (the eager protocol): every partition is read again from its commit, so whatever
     * is still buffered (of a partition lost without a revocation) is dropped. Each partition's marks are read with
     * the next delivery.
     */
    public synchronized void open(Collection<Integer> assignment, int generation) {
        drop(partitions.numbers());
        partitions.openExactly(assignment, generation);
    }

    /** These partitions were lost (another instance may own them already): dropped, nothing more written for them. */
    public synchronized void lose(Collection<Integer> lost) {
        partitions.forget(lost);
        drop(lost);
    }

    /**
     * These partitions go to another instance: returns, for each, the offset of its first candle not written and
     * recorded, then drops their buffered candles; the new owner reads them again.
     */
    public synchronized Map<Integer, PartitionCommit> close(Collection<Integer> revoked) {
        ok(records.record(revoked)); // a last try: what the new owner cannot know it writes again
        Map<Integer, PartitionCommit> commits = partitions.close(revoked);
        drop(revoked);
        return commits;
    }

    public synchronized Map<Integer, PartitionCommit> preCommit() {
        return partitions.preCommit();
    }

    public synchronized void committed(Map<Integer, PartitionCommit> commits) {
        partitions.committed(commits);
    }

    /** Why writing or recording stopped, or null. */
    public String failure() {
        return failure;
    }

    public long written(CandlePeriod period) {
        return written.get(period).sum();
    }

    public int buffered(CandlePeriod period) {
        return batches.waiting(period);
    }

    public long batches() {
        return batchCount.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    /** Deliveries that appended at least one batch, for the candle_batch_write_seconds timer. */
    public long timedWrites() {
        return timedWrites.sum();
    }

    /** Their time from delivery to recorded, in nanoseconds. */
    public double timedWriteNanos() {
        return timedWriteNanos.sum();
    }

    /** Buffers a delivered candle, or drops it: a repeat, a record that is not a candle, or not this instance's. */
    private void take(Delivered record) {
        SinkPartitions.Owned state = partitions.get(record.partition());
        if (state == null || !state.read() || record.generation() < state.generation) {
            return;
        }
        state.progress.seen(record.offset());
        Candle candle = record.candle();
        if (candle == null) {
            return;
        }
        if (marks.isRepeat(candle)) {
            duplicates.increment();
            return;
        }
        marks.take(candle);
        state.taking(candle.ticker());
        state.progress.hold(record.offset());
        batches.add(new Pending(candle, record.partition(), record.offset(), System.nanoTime()));
    }

    /**
     * Records the tickers that must be (new ones before their first force), appends the batches due (full ones, and
     * partial ones where {@code partialToo} says so), forces them, and records the marks they moved.
     */
    private boolean drain(Predicate<CandlePeriod> partialToo) {
        if (!ok(records.recordAll())) {
            return false;
        }
        for (CandlePeriod period : CandlePeriod.values()) {
            while (batches.size(period) >= batchSize || batches.size(period) > 0 && partialToo.test(period)) {
                if (!ok(appends.append(period, Math.min(batchSize, batches.size(period))))) {
                    return false;
                }
            }
        }
        return ok(appends.force(this::onDisk)) && ok(records.recordAll());
    }

    /** The batch is on disk: its marks move, and its records wait for them to be recorded. */
    private void onDisk(CandlePeriod period, List<Pending> batch) {
        for (Pending pending : batch) {
            marks.written(pending.candle());
            partitions.get(pending.partition()).written(pending.candle().ticker(), pending.offset());
        }
        written.get(period).add(batch.size());
        batchCount.increment();
    }

    /** Drops the buffered candles of these partitions: whoever owns them next reads them again. */
    private void drop(Collection<Integer> lost) {
        if (batches.drop(Set.copyOf(lost)) > 0) {
            marks.retake(batches.candles());
        }
    }

    /** True when {@code failure} is empty; else records it and returns false. */
    private boolean ok(Optional<String> failure) {
        failure.ifPresent(this::fail);
        return failure.isEmpty();
    }

    private void fail(String reason) {
        if (failure == null) {
            LOG.errorf("Candle files or their marks unavailable, nothing is committed past them until they are back: %s",
                    reason);
        }
        failure = reason;
    }

    private void clearFailure() {
        if (failure != null) {
            LOG.infof("Candle files and their marks writable again (%s)", files.directory());
            failure = null;
        }
    }
}
