package io.candles.consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import io.candles.consumer.sink.CandleSink;
import io.candles.consumer.stage.CandlePublisher;
import io.candles.consumer.stage.CandleStage;
import io.candles.consumer.stage.CandleStages;

/** Health beyond what the Kafka channels report themselves. */
@ApplicationScoped
public class PipelineHealth {

    /**
     * Ready while the candle files and their marks ({@code candles-sink-marks}) can be written; DOWN says why (nothing
     * is committed past the candles meanwhile).
     */
    @Produces
    @Readiness
    HealthCheck candleFiles(CandleSink sink, CandlesConfig config) {
        return () -> {
            String failure = sink.writer().failure();
            return HealthCheckResponse.named("candle-files")
                    .status(failure == null)
                    .withData("directory", config.outputDir().toAbsolutePath().toString())
                    .withData("reason", failure == null ? "writable" : failure)
                    .build();
        };
    }

    /**
     * A record that could not be dead-lettered holds its partition's commit back: a restart reads it again and
     * retries, so ask for one rather than pin the commit silently.
     */
    @Produces
    @Liveness
    HealthCheck deadLetters(CandleStages stages) {
        return () -> {
            String failure = stages.all().stream().map(CandleStage::deadLetterFailure)
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            return HealthCheckResponse.named("dead-letters")
                    .status(failure == null)
                    .withData("reason", failure == null ? "every bad record dead-lettered" : failure)
                    .build();
        };
    }

    /** A candle Kafka finally refused leaves its window uncommitted: a restart rebuilds it, so ask for one. */
    @Produces
    @Liveness
    HealthCheck candlePublishing(CandlePublisher publisher) {
        return () -> {
            String failure = publisher.failure();
            return HealthCheckResponse.named("candle-publishing")
                    .status(failure == null)
                    .withData("reason", failure == null ? "all candles accepted" : failure)
                    .build();
        };
    }
}
