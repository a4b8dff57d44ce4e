package io.candles.query;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.candles.query.cache.CacheWarmUp;
import io.candles.query.ingest.CandleIngest;

/** Ready once the cache is warm and while QuestDB takes the candles; the Kafka channel adds its own checks. */
@Readiness
@ApplicationScoped
public class QueryHealth implements HealthCheck {

    private final CacheWarmUp warmUp;
    private final CandleIngest ingest;

    @Inject
    QueryHealth(CacheWarmUp warmUp, CandleIngest ingest) {
        this.warmUp = warmUp;
        this.ingest = ingest;
    }

    @Override
    public HealthCheckResponse call() {
        String failure = ingest.failure();
        String reason = !warmUp.done() ? warmUp.notReadyReason() : failure != null ? failure : "storing";
        return HealthCheckResponse.named("candle-store")
                .status(warmUp.done() && failure == null)
                .withData("reason", reason)
                .withData("stored", ingest.stored())
                .build();
    }
}
