package io.candles.partitioning;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Chooses the partition of a ticker, for the {@code prices} topic and, with the same number, for its candles,
 * so that one consumer instance owns a ticker end to end.
 *
 * <p>The configured tickers are sorted and dealt round-robin over the partitions, which balances them (4
 * tickers over 3 partitions put at most 2 on one partition) whatever order the configuration lists them in.
 * Any other ticker gets Kafka's default key hash (murmur2 of its UTF-8 bytes). The result depends only on
 * the configured set and the partition count, so it is stable across restarts; changing the configured set
 * can move tickers to other partitions, so do that on a fresh topic.
 */
public final class TickerPartitioner {

    private final Map<String, Integer> configuredPartitions;
    private final int partitionCount;

    /**
     * @param configuredTickers the tickers to balance; order and duplicates do not matter
     * @param partitionCount    the topic's real partition count, at least 1
     */
    public TickerPartitioner(Collection<String> configuredTickers, int partitionCount) {
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partitionCount must be >= 1, was " + partitionCount);
        }
        this.partitionCount = partitionCount;
        Map<String, Integer> partitions = new HashMap<>();
        int index = 0;
        for (String ticker : new TreeSet<>(configuredTickers)) {
            partitions.put(ticker, index++ % partitionCount);
        }
        this.configuredPartitions = Map.copyOf(partitions);
    }

    /** The partition of {@code ticker}, in {@code [0, partitionCount)}. */
    public int partitionOf(String ticker) {
        Integer configured = configuredPartitions.get(Objects.requireNonNull(ticker, "ticker"));
        if (configured != null) {
            return configured;
        }
        return Utils.toPositive(Utils.murmur2(ticker.getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }

    public int partitionCount() {
        return partitionCount;
    }
}
