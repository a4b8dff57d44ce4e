package io.candles.e2e;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

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
}
