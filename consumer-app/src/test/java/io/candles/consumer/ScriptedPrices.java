package io.candles.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import io.candles.audit.ExpectedCandles;
import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Price;
import io.candles.partitioning.TickerPartitioner;
import io.candles.testkit.KafkaTopics;
import io.candles.wire.CandleCsv;
import io.candles.wire.Topics;

/** A known price sequence: every ticker every {@code step}, from {@code start} to {@code end} inclusive. */
final class ScriptedPrices {

    static final List<String> TICKERS = List.of("AAPL", "SBER", "NVDA", "TSLA");

    private ScriptedPrices() {
    }

    /** A price whose value is not a number: the pipeline must dead-letter it and carry on. */
    static final byte[] POISON = "{\"ticker\":\"AAPL\",\"value\":\"abc\"}".getBytes(StandardCharsets.UTF_8);

    static final TickerPartitioner PARTITIONER = new TickerPartitioner(TICKERS, 3);

    /** Sends {@link #POISON} to AAPL's partition, then the prices. */
    static void sendPoisonThen(KafkaTopics kafka, List<Price> prices) {
        kafka.sendRaw(Topics.PRICES, PARTITIONER.partitionOf("AAPL"), "AAPL", POISON);
        kafka.sendPrices(TICKERS, prices);
    }

    /** The CSV lines of the closed candles these prices make, per period, computed with the audit's recomputation. */
    static Map<CandlePeriod, List<String>> expectedLines(List<Price> prices) {
        ExpectedCandles expected = new ExpectedCandles(Duration.ofSeconds(10));
        prices.forEach(price -> expected.add(PARTITIONER.partitionOf(price.ticker()), price));
        return expected.closed().stream().collect(Collectors.groupingBy(Candle::period,
                Collectors.mapping(CandleCsv::line, Collectors.toList())));
    }

    static List<Price> every(Duration step, Instant start, Instant end, long seed) {
        Random random = new Random(seed);
        List<Price> prices = new ArrayList<>();
        for (Instant ts = start; !ts.isAfter(end); ts = ts.plus(step)) {
            for (int i = 0; i < TICKERS.size(); i++) {
                double value = Math.round(((i + 1) * 100 + random.nextDouble() * 20) * 1_000_000) / 1_000_000.0;
                prices.add(new Price(TICKERS.get(i), value, ts));
            }
        }
        return prices;
    }
}
