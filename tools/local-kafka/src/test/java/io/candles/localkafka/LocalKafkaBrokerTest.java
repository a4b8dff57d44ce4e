package io.candles.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerTest {

    @Test
    void servesProducersAndConsumersOnLoopback() throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaSettings.forTests())) {
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
            send(broker, "greetings", "k", "hello");

            assertThat(readAll(broker, "greetings", 1)).containsExactly("k=hello");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                assertThat(admin.describeTopics(Set.of("greetings")).allTopicNames().get().get("greetings")
                        .partitions()).hasSize(3);
            }
        }
    }

    @Test
    void keepsTopicsAcrossARestartOnTheSameDataDirectory(@TempDir Path dataDir) throws Exception {
        LocalKafkaSettings settings = LocalKafkaSettings.forTests().withDataDir(dataDir);
        try (LocalKafkaBroker first = LocalKafkaBroker.start(settings)) {
            send(first, "kept", "k", "before restart");
        }
        try (LocalKafkaBroker second = LocalKafkaBroker.start(settings)) {
            send(second, "kept", "k", "after restart");
            assertThat(readAll(second, "kept", 2)).containsExactly("k=before restart", "k=after restart");
        }
        assertThat(dataDir.resolve("meta.properties")).exists();
    }

    @Test
    void deletesItsTemporaryDirectoryOnClose() {
        LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaSettings.forTests());
        Path dataDir = broker.dataDir();
        assertThat(dataDir).exists();
        broker.close();
        assertThat(dataDir).doesNotExist();
    }

    private static void send(LocalKafkaBroker broker, String topic, String key, String value) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static List<String> readAll(LocalKafkaBroker broker, String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(record.key() + "=" + record.value());
                }
            }
        }
        return seen;
    }
}
