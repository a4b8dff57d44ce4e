package io.candles.producer;

import java.util.Map;
import java.util.Set;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * No broker: the {@code prices} channel on the in-memory connector (so the connector creates no Kafka client) and a
 * fixed topic layout.
 */
public class InMemoryChannelProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "mp.messaging.outgoing.prices.connector", "smallrye-in-memory",
                "generator.delay", "10ms");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(FixedPriceTopic.class);
    }
}
