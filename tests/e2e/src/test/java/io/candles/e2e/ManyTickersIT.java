package io.candles.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.candles.audit.AuditReport;
import io.candles.domain.CandlePeriod;
import io.candles.testkit.KafkaTopics;
import io.candles.wire.Topics;

/**
 * 10,000 tickers through everything that hands partitions from one consumer to another. The sink's hand-over state
 * (the newest candle written per series, in {@code candles-sink-marks}) grows with the ticker count: in Kafka commit
 * metadata, capped at 4 KB by default, it overflowed at a few thousand tickers.
 *
 * <p>The producer sends 10,000 prices/s, one per ticker and second, 10 s of simulated time apart, so a 1m window of
 * every ticker closes every 6 s.
 */
class ManyTickersIT extends PipelineProcessTest {

    private static final int TICKERS = 10_000;
    private static final Map<String, String> LOAD = Map.of(
            "GENERATOR_LOAD_ENABLED", "true",
            "GENERATOR_LOAD_TICKERS", String.valueOf(TICKERS),
            "GENERATOR_LOAD_RATE", String.valueOf(TICKERS),
            "GENERATOR_FACTOR", "20");
    /**
     * What a consumer that crashed for good can leave written twice: the candles its sink forced to disk but had not
     * recorded in candles-sink-marks yet, at most one delivery (the candles-sink channel's max.poll.records, 500) and
     * what was buffered before it, less than a batch of 10 per period.
     */
    private static final int ONE_DELIVERY = 500 + CandlePeriod.values().length * 9;

    @Test
    void tenThousandTickersThroughRebalancesAGracefulStopAndACrashRestartAreWrittenExactlyOnce() throws Exception {
        pipeline.startBroker();
        pipeline.startProducer(LOAD);
        pipeline.startConsumer("consumer-1");
        pipeline.startConsumer("consumer-2");
        pipeline.awaitGrowth("a 1m candle of every ticker", pipeline::allLines, TICKERS);

        pipeline.startConsumer("consumer-3");
        pipeline.happened("consumer-3 joins");
        pipeline.awaitGrowth("consumer-3 writes the candles of the partition it got",
                () -> pipeline.lines("consumer-3"), 1_000);
        pipeline.restart("consumer-1", "SIGTERM");
        pipeline.restart("consumer-2", "kill -9");
        pipeline.stop("consumer-3", "SIGTERM");
        pipeline.awaitGrowth("the others take over consumer-3's partition",
                () -> pipeline.lines("consumer-1") + pipeline.lines("consumer-2"),
                pipeline.lines("consumer-1") + pipeline.lines("consumer-2") + TICKERS);

        AuditReport report = assertExactlyOnce();
        assertThat(report.matching()).isGreaterThan(5L * TICKERS);
        assertThat(tickersWithMarks()).as("the hand-over state holds every series").hasSize(TICKERS);
    }

    @Test
    void aConsumerThatCrashesForGoodLeavesNoWrongCandleAndAtMostOneDeliveryTwice() throws Exception {
        pipeline.startBroker();
        pipeline.startProducer(LOAD);
        // Its partitions move to consumer-2 once its session times out: the broker's shortest allowed.
        pipeline.startConsumer("consumer-1", Map.of("KAFKA_SESSION_TIMEOUT_MS", "6000"));
        pipeline.startConsumer("consumer-2");
        pipeline.awaitGrowth("both consumers write candles", () -> Math.min(pipeline.lines("consumer-1"),
                pipeline.lines("consumer-2")), TICKERS / 3);

        pipeline.stop("consumer-1", "kill -9");
        pipeline.awaitGrowth("consumer-2 takes over every partition", () -> pipeline.lines("consumer-2"),
                pipeline.lines("consumer-2") + 2L * TICKERS);

        AuditReport report = drainAndAudit();
        String details = report.details(20) + "\nlogs and files in " + work;
        assertThat(report.missing()).as(details).isEmpty();
        assertThat(report.mismatched()).as("no wrong candle, not even a second copy: %s", details).isEmpty();
        assertThat(report.unexpected()).as(details).isEmpty();
        assertThat(report.duplicated()).as(details).hasSizeLessThanOrEqualTo(ONE_DELIVERY);
        assertThat(report.matching() + report.duplicated().size()).isEqualTo(report.expected())
                .isGreaterThan(3L * TICKERS);
    }

    /** The tickers that have a record in candles-sink-marks, on any partition. */
    private Set<String> tickersWithMarks() {
        return new KafkaTopics(pipeline.bootstrap()).readAll(Topics.SINK_MARKS).stream()
                .map(record -> new String(record.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
    }
}
