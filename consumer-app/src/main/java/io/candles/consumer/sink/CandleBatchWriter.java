package io.candles.consumer.sink;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;

/**
 * Accumulates candles per period and appends them to the files in batches of exactly {@code batchSize}; a candle's
 * acknowledgement runs only after its batch is on disk.
 *
 * <p>Duplicates are dropped here: within a partition each series (ticker and period) arrives in time order, so a
 * candle not newer than the newest one already written or buffered for its series is a redelivery (first one
 * wins). The written high-water marks come from the files at start-up ({@link CandleFiles#recoverHighWaterMarks}).
 *
 * <p>When a write fails (directory gone, disk full) the batch stays buffered, nothing is acknowledged, and
 * {@link #retry()} tries again. Thread-safe.
 */
public final class CandleBatchWriter {

    private static final Logger LOG = Logger.getLogger(CandleBatchWriter.class);

    /** A buffered candle: its input partition and how to acknowledge it once written. */
    private record Pending(Candle candle, int partition, Runnable ack, long bufferedAtNanos) {
    }

    private final CandleFiles files;
    private final int batchSize;
    private final Map<CandlePeriod, ArrayDeque<Pending>> buffers = new EnumMap<>(CandlePeriod.class);
    private final Map<CandlePeriod, Map<String, Instant>> writtenMarks = new EnumMap<>(CandlePeriod.class);
    private final Map<CandlePeriod, Map<String, Instant>> acceptedMarks = new EnumMap<>(CandlePeriod.class);
    private final Map<CandlePeriod, Long> written = new EnumMap<>(CandlePeriod.class);
    private long batches;
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
            marks.forEach((period, newest) -> {
                writtenMarks.put(period, new HashMap<>(newest));
                acceptedMarks.put(period, new HashMap<>(newest));
            });
            recovered = true;
            clearFailure();
        } catch (IOException | RuntimeException e) {
            fail("cannot read or create " + files.directory() + ": " + e);
        }
        return recovered;
    }

    /** Buffers a candle (or drops it as a duplicate, acknowledging it) and writes every full batch. */
    public synchronized void add(Candle candle, int partition, Runnable ack) {
        if (!recovered) {
            throw new IllegalStateException("recover() must succeed before candles are added");
        }
        Map<String, Instant> accepted = acceptedMarks.get(candle.period());
        Instant newest = accepted.get(candle.ticker());
        if (newest != null && !candle.ts().isAfter(newest)) {
            duplicates++;
            ack.run();
            return;
        }
        accepted.put(candle.ticker(), candle.ts());
        buffers.get(candle.period()).add(new Pending(candle, partition, ack, System.nanoTime()));
        if (failure == null) {
            writeFullBatches(candle.period());
        }
    }

    /** Tries the writes that failed before; true when nothing is left failing. */
    public synchronized boolean retry() {
        if (!recover()) {
            return false;
        }
        for (CandlePeriod period : CandlePeriod.values()) {
            if (!writeFullBatches(period)) {
                return false;
            }
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

    /** Drops the buffered candles of partitions this instance lost, unacknowledged: the new owner gets them. */
    public synchronized int dropPartitions(Collection<Integer> partitions) {
        Set<Integer> lost = new HashSet<>(partitions);
        int dropped = 0;
        for (CandlePeriod period : CandlePeriod.values()) {
            ArrayDeque<Pending> buffer = buffers.get(period);
            int before = buffer.size();
            buffer.removeIf(pending -> lost.contains(pending.partition()));
            dropped += before - buffer.size();
            Map<String, Instant> accepted = new HashMap<>(writtenMarks.getOrDefault(period, Map.of()));
            buffer.forEach(pending -> accepted.merge(pending.candle().ticker(), pending.candle().ts(),
                    (a, b) -> a.isAfter(b) ? a : b));
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

    private interface PendingFilter {
        boolean test(Pending pending);
    }

    private boolean flushWhere(PendingFilter oldestQualifies) {
        if (!recovered || failure != null && !retry()) {
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
        return true;
    }

    private boolean writeFullBatches(CandlePeriod period) {
        while (buffers.get(period).size() >= batchSize) {
            if (!writeBatch(period, batchSize)) {
                return false;
            }
        }
        return true;
    }

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
            fail("cannot write " + files.fileOf(period) + ": " + e);
            return false;
        }
        Map<String, Instant> marks = writtenMarks.get(period);
        for (int i = 0; i < count; i++) {
            Pending pending = buffer.removeFirst();
            marks.merge(pending.candle().ticker(), pending.candle().ts(), (a, b) -> a.isAfter(b) ? a : b);
            pending.ack().run();
        }
        written.merge(period, (long) count, Long::sum);
        batches++;
        return true;
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
