package io.candles.consumer.sink;

import java.util.Map;

/**
 * Where the sink keeps, per partition, the written marks of each ticker, for whoever owns the partition next: another
 * instance after a rebalance or after this one crashed for good, or this one after a restart. {@link MarksTopic} in
 * the app; unit tests use a map.
 */
interface MarksStore {

    /**
     * The marks of every ticker recorded for this partition of {@code candles}.
     *
     * @throws RuntimeException when they cannot be read; the sink then takes no candle of the partition
     */
    Map<String, TickerMarks> read(int partition);

    /**
     * Records these tickers' marks, per partition, and returns once all of them are stored for good.
     *
     * @throws RuntimeException when they could not be stored; the sink then commits nothing past their candles
     */
    void write(Map<Integer, Map<String, TickerMarks>> marksByPartition);
}
