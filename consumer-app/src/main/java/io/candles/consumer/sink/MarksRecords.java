package io.candles.consumer.sink;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.jboss.logging.Logger;

import io.candles.wire.Topics;

/**
 * The sink's side of {@code candles-sink-marks}: reads what it holds of each partition assigned (raising the written
 * marks, and finding what this instance's own files hold beyond it, after a crash between a force and its record),
 * and records, in one write for all partitions, the tickers each owned partition has waiting: new ones before their
 * first candle is forced, the others once their candles are. Not thread-safe: the {@link CandleBatchWriter} guards it.
 */
final class MarksRecords {

    private static final Logger LOG = Logger.getLogger(MarksRecords.class);

    private final MarksStore store;
    private final WrittenMarks marks;
    private final SinkPartitions partitions;

    MarksRecords(MarksStore store, WrittenMarks marks, SinkPartitions partitions) {
        this.store = store;
        this.marks = marks;
        this.partitions = partitions;
    }

    /** Reads the marks of each owned partition not read since its assignment; empty, or why it failed. */
    Optional<String> readUnread() {
        for (Map.Entry<Integer, SinkPartitions.Owned> entry : partitions.all().entrySet()) {
            SinkPartitions.Owned state = entry.getValue();
            if (state.read()) {
                continue;
            }
            int partition = entry.getKey();
            Map<String, TickerMarks> recorded;
            try {
                recorded = store.read(partition);
            } catch (RuntimeException e) {
                return Optional.of("cannot read the written marks of partition " + partition + " from "
                        + Topics.SINK_MARKS + ": " + e.getMessage());
            }
            recorded.forEach(marks::raise);
            state.recorded = new HashSet<>(recorded.keySet());
            recorded.forEach((ticker, theirs) -> {
                if (marks.of(ticker).isAheadOf(theirs)) {
                    state.toRecord.add(ticker); // recorded with the next drain, before a commit could pass it
                }
            });
            LOG.infof("Partition %d: written marks of %d tickers read from %s%s", partition, recorded.size(),
                    Topics.SINK_MARKS, state.toRecord.isEmpty() ? ""
                            : "; these files hold more of " + state.toRecord.size() + " of them, recorded now");
        }
        return Optional.empty();
    }

    /** Records what every owned partition has waiting, in one write; empty, or why it failed. */
    Optional<String> recordAll() {
        return record(partitions.all().keySet());
    }

    /** Records what these partitions have waiting, in one write; empty, or why it failed. */
    Optional<String> record(Collection<Integer> which) {
        Map<Integer, Map<String, TickerMarks>> toRecord = new HashMap<>();
        for (int partition : which) {
            SinkPartitions.Owned state = partitions.get(partition);
            if (state != null && state.read() && !state.toRecord.isEmpty()) {
                toRecord.put(partition, current(state.toRecord));
            }
        }
        if (toRecord.isEmpty()) {
            return Optional.empty();
        }
        try {
            store.write(toRecord);
        } catch (RuntimeException e) {
            return Optional.of("cannot record written marks of partitions " + new TreeSet<>(toRecord.keySet())
                    + " in " + Topics.SINK_MARKS + ": " + e.getMessage());
        }
        toRecord.forEach((partition, recorded) -> partitions.get(partition).recorded(recorded.keySet()));
        return Optional.empty();
    }

    private Map<String, TickerMarks> current(Set<String> tickers) {
        Map<String, TickerMarks> current = new HashMap<>();
        tickers.forEach(ticker -> current.put(ticker, marks.of(ticker)));
        return current;
    }
}
