package io.candles.consumer.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The sink's marks kept in a map, as {@code candles-sink-marks} holds them once compacted; it can be told to refuse
 * reads or writes, and it logs every write with how many times the files had been forced when it came.
 */
final class MapMarks implements MarksStore {

    /** One write: the tickers and marks written per partition, and the files' force count at that moment. */
    record Write(Map<Integer, Map<String, TickerMarks>> marks, long forcesBefore) {
    }

    private final Map<Integer, Map<String, TickerMarks>> byPartition = new HashMap<>();
    private final List<Write> writes = new ArrayList<>();
    private final LongSupplier forces;
    boolean refuseReads;
    boolean refuseWrites;

    /** @param forces how many times the files were forced so far */
    MapMarks(LongSupplier forces) {
        this.forces = forces;
    }

    @Override
    public Map<String, TickerMarks> read(int partition) {
        if (refuseReads) {
            throw new IllegalStateException("broker away");
        }
        return new HashMap<>(byPartition.getOrDefault(partition, Map.of()));
    }

    @Override
    public void write(Map<Integer, Map<String, TickerMarks>> marksByPartition) {
        if (refuseWrites) {
            throw new IllegalStateException("broker away");
        }
        writes.add(new Write(Map.copyOf(marksByPartition), forces.getAsLong()));
        marksByPartition.forEach((partition, marks) ->
                byPartition.computeIfAbsent(partition, p -> new HashMap<>()).putAll(marks));
    }

    /** The recorded marks of a ticker on a partition, or null. */
    TickerMarks of(int partition, String ticker) {
        return byPartition.getOrDefault(partition, Map.of()).get(ticker);
    }

    List<Write> writes() {
        return writes;
    }
}
