package io.candles.producer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the topics exist and simulated time is resumed; the Kafka channel adds its own checks. */
@Readiness
@ApplicationScoped
public class GeneratorReadiness implements HealthCheck {

    private final PriceFeed feed;
    private final PriceSender sender;

    @Inject
    GeneratorReadiness(PriceFeed feed, PriceSender sender) {
        this.feed = feed;
        this.sender = sender;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("price-generator")
                .status(feed.ready())
                .withData("generated", sender.generated())
                .withData("acknowledged", sender.acknowledged())
                .withData("failed", sender.failed())
                .withData("reason", feed.ready() ? "generating" : feed.notReadyReason())
                .build();
    }
}
