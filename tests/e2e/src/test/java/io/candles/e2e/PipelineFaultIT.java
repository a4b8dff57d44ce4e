package io.candles.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.candles.audit.AuditReport;

/**
 * The whole pipeline as real processes (broker, producer, consumers) under faults, checked by the audit at the end.
 *
 * <p>The producer sends 1,000 prices/s over 50 tickers. While it runs: each consumer is restarted with SIGTERM twice
 * and with kill -9 once, a third consumer joins and leaves (rebalances), the producer is restarted with SIGTERM, and
 * the broker is stopped and started again. Then the producer stops, the consumers drain and stop, and the audit must
 * find every closed window exactly once in the files, with the right values, and no late price.
 */
class PipelineFaultIT extends PipelineProcessTest {

    private static final Map<String, String> LOAD = Map.of(
            "GENERATOR_LOAD_ENABLED", "true",
            "GENERATOR_LOAD_TICKERS", "50",
            "GENERATOR_LOAD_RATE", "1000");

    @Test
    void restartsCrashesRebalancesAndABrokerRestartLoseAndDuplicateNothing() throws Exception {
        pipeline.startBroker();
        pipeline.startProducer(LOAD);
        pipeline.startConsumer("consumer-1");
        pipeline.startConsumer("consumer-2");
        pipeline.awaitGrowth("both consumers write candles", pipeline::allLines, 100);

        pipeline.restart("consumer-1", "SIGTERM");
        pipeline.restart("consumer-2", "kill -9");
        pipeline.startConsumer("consumer-3");
        pipeline.happened("consumer-3 joins");
        pipeline.awaitGrowth("consumer-3 writes the candles of the partition it got", () -> pipeline.lines("consumer-3"),
                20);
        pipeline.restart("consumer-2", "SIGTERM");

        pipeline.stopProducer();
        pipeline.startProducer(LOAD);
        pipeline.awaitGrowth("prices flow again after the producer restart", pipeline::prices, 2_000);

        pipeline.stopBroker();
        pipeline.startBroker();
        pipeline.awaitGrowth("candles flow again after the broker restart", pipeline::allLines, 100);

        pipeline.restart("consumer-1", "kill -9");
        pipeline.stop("consumer-3", "SIGTERM");
        pipeline.awaitGrowth("the others take over consumer-3's partitions",
                () -> pipeline.lines("consumer-1") + pipeline.lines("consumer-2"), 300);
        pipeline.restart("consumer-1", "SIGTERM");
        pipeline.restart("consumer-2", "SIGTERM");

        AuditReport report = assertExactlyOnce();
        assertThat(report.prices()).isGreaterThan(20_000);
        assertThat(report.matching()).isGreaterThan(1_000);
    }
}
