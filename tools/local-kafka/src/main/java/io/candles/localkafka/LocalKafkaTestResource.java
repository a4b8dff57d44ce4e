package io.candles.localkafka;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives Quarkus tests a real Kafka broker where Dev Services cannot start one (no Docker).
 *
 * <p>Active when the system property {@value #EMBEDDED_PROPERTY} is {@code true}; the Maven profile
 * {@code local-kafka} sets it together with {@code quarkus.kafka.devservices.enabled=false} whenever there is no
 * Docker socket. Otherwise it does nothing and Dev Services start Kafka as usual.
 */
public class LocalKafkaTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String EMBEDDED_PROPERTY = "local-kafka.embedded";

    private LocalKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        if (!Boolean.getBoolean(EMBEDDED_PROPERTY)) {
            return Map.of();
        }
        broker = LocalKafkaBroker.start(LocalKafkaSettings.forTests());
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
