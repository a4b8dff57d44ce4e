package io.candles.benchmark;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka producer settings of producer-app's {@code prices} channel, read from its application.properties, so that
 * the plain producer the benchmark compares it with runs with the same ones.
 */
final class ProducerChannelSettings {

    private static final String PREFIX = "mp.messaging.outgoing.prices.";
    /**
     * Named like Kafka settings but not given to Kafka as they are: serializers (the plain producer sends the same
     * bytes with its own), and {@code retries}, which the channel sets to 0 for the connector alone (KafkaRetriesOnly).
     */
    private static final Set<String> NOT_FOR_KAFKA = Set.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ProducerConfig.RETRIES_CONFIG);

    private ProducerChannelSettings() {
    }

    static Map<String, Object> read(Path applicationProperties) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(applicationProperties)) {
            properties.load(in);
        }
        Map<String, Object> kafka = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                String setting = name.substring(PREFIX.length());
                if (ProducerConfig.configNames().contains(setting) && !NOT_FOR_KAFKA.contains(setting)) {
                    kafka.put(setting, properties.getProperty(name));
                }
            }
        }
        return kafka;
    }
}
