package io.candles.wire;

/** The Kafka topic names the apps share. */
public final class Topics {

    /** Prices, key = ticker, partition chosen by {@link io.candles.partitioning.TickerPartitioner}. */
    public static final String PRICES = "prices";
    /** Candles of every period, key = ticker, on the same partition number as the ticker's prices. */
    public static final String CANDLES = "candles";
    /** Records that could not be parsed or broke the contract, with the reason. */
    public static final String DEAD_LETTER = "candles-dead-letter";
    /**
     * consumer-app's sink state: key = ticker, on the ticker's partition number of {@code candles}, value = the newest
     * candle of each period written to the files for that ticker. Compacted; consumer-app creates it.
     */
    public static final String SINK_MARKS = "candles-sink-marks";

    private Topics() {
    }
}
