package io.candles.consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import io.candles.consumer.sink.CandleSink;
import io.candles.consumer.stage.CandlePublisher;

/** Health beyond what the Kafka channels report themselves. */
@ApplicationScoped
public class PipelineHealth {

    /** Ready while the candle files can be written; DOWN says why (nothing is acknowledged meanwhile). */
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
