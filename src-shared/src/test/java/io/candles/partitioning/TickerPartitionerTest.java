package io.candles.partitioning;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TickerPartitionerTest {

    private static final List<String> DEFAULT_TICKERS = List.of("AAPL", "SBER", "NVDA", "TSLA");

    private static Map<String, Integer> partitionsOf(TickerPartitioner partitioner, List<String> tickers) {
        return tickers.stream().collect(Collectors.toMap(Function.identity(), partitioner::partitionOf));
    }

    @Test
    void fourDefaultTickersUseAllThreePartitionsWithAtMostTwoOnOne() {
        TickerPartitioner partitioner = new TickerPartitioner(DEFAULT_TICKERS, 3);

        Map<String, Integer> partitions = partitionsOf(partitioner, DEFAULT_TICKERS);

        // sorted: AAPL, NVDA, SBER, TSLA, dealt round-robin
        assertThat(partitions).containsExactlyInAnyOrderEntriesOf(Map.of("AAPL", 0, "NVDA", 1, "SBER", 2, "TSLA", 0));
        Map<Integer, Long> tickersPerPartition = partitions.values().stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(tickersPerPartition).containsOnlyKeys(0, 1, 2);
        assertThat(tickersPerPartition.values()).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(2));
        assertThat(partitioner.partitionCount()).isEqualTo(3);
    }

    @Test
    void configurationOrderAndDuplicatesDoNotMatterAndANewInstanceAgrees() {
        Map<String, Integer> expected = partitionsOf(new TickerPartitioner(DEFAULT_TICKERS, 3), DEFAULT_TICKERS);
        Random random = new Random(7);
        for (int i = 0; i < 10; i++) {
            List<String> shuffled = new ArrayList<>(DEFAULT_TICKERS);
            Collections.shuffle(shuffled, random);
            shuffled.add(shuffled.get(0));

            assertThat(partitionsOf(new TickerPartitioner(shuffled, 3), DEFAULT_TICKERS)).isEqualTo(expected);
        }
    }

    @Test
    void manyConfiguredTickersAreBalanced() {
        List<String> tickers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tickers.add("T" + i);
        }
        TickerPartitioner partitioner = new TickerPartitioner(tickers, 7);

        Map<Integer, Long> tickersPerPartition = partitionsOf(partitioner, tickers).values().stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));

        assertThat(tickersPerPartition).containsOnlyKeys(0, 1, 2, 3, 4, 5, 6);
        assertThat(tickersPerPartition.values()).allSatisfy(count -> assertThat(count).isBetween(14L, 15L));
    }

    @Test
    void anUnknownTickerGetsKafkasDefaultKeyHash() {
        TickerPartitioner partitioner = new TickerPartitioner(DEFAULT_TICKERS, 3);
        TickerPartitioner wide = new TickerPartitioner(DEFAULT_TICKERS, 12);

        for (String ticker : List.of("GAZP", "YNDX", "MSFT", "Ünïcødé", "X")) {
            byte[] key = ticker.getBytes(StandardCharsets.UTF_8);
            assertThat(partitioner.partitionOf(ticker))
                    .isEqualTo(BuiltInPartitioner.partitionForKey(key, 3))
                    .isBetween(0, 2);
            assertThat(wide.partitionOf(ticker))
                    .isEqualTo(BuiltInPartitioner.partitionForKey(key, 12))
                    .isBetween(0, 11);
            assertThat(new TickerPartitioner(List.of(), 3).partitionOf(ticker))
                    .isEqualTo(partitioner.partitionOf(ticker));
        }
    }

    @Test
    void onePartitionTakesEverything() {
        TickerPartitioner single = new TickerPartitioner(DEFAULT_TICKERS, 1);

        for (String ticker : List.of("AAPL", "SBER", "NVDA", "TSLA", "GAZP", "anything")) {
            assertThat(single.partitionOf(ticker)).isZero();
        }
    }

    @Test
    void rejectsAPartitionCountBelowOne() {
        assertThatThrownBy(() -> new TickerPartitioner(DEFAULT_TICKERS, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partitionCount must be >= 1, was 0");
        assertThatThrownBy(() -> new TickerPartitioner(DEFAULT_TICKERS, -3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
