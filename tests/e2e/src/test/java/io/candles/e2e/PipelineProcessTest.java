package io.candles.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import io.candles.audit.AuditReport;
import io.candles.domain.CandlePeriod;

/** A test of the pipeline as processes: each test gets its own {@link PipelineProcesses}, stopped after it. */
abstract class PipelineProcessTest {

    /** Kept when the test fails: every process's log and the candle files are the evidence. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    PipelineProcesses pipeline;

    @BeforeEach
    void preparePipeline() {
        pipeline = new PipelineProcesses(work);
    }

    @AfterEach
    void stopPipeline() throws InterruptedException {
        pipeline.close();
    }

    /**
     * Stops the producer (it sends everything it generated), waits until the consumers have drained, stops them and
     * audits their files; prints the scenario and the audit.
     */
    AuditReport drainAndAudit() throws InterruptedException {
        pipeline.stopProducer();
        pipeline.awaitDrained();
        pipeline.stopConsumers();
        AuditReport report = pipeline.audit();
        System.out.printf("Scenario: %s%nAudit: %s%n", pipeline.scenario(), report.summary());
        return report;
    }

    /** {@link #drainAndAudit}, which must find every closed window exactly once in the files, right, none late. */
    AuditReport assertExactlyOnce() throws InterruptedException {
        AuditReport report = drainAndAudit();
        assertThat(report.failed()).as("%s%nlogs and files in %s", report.details(20), work).isFalse();
        assertThat(report.latePrices()).isZero();
        assertThat(report.matching()).isEqualTo(report.expected())
                .isEqualTo(pipeline.linesIn(CandlePeriod.values()));
        return report;
    }
}
