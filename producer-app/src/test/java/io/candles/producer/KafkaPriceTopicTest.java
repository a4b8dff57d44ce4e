package io.candles.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.candles.localkafka.LocalKafkaBroker;
import io.candles.localkafka.LocalKafkaSettings;
import io.candles.wire.Topics;

/** The producer's topic preparation against a real broker. */
class KafkaPriceTopicTest {

    private LocalKafkaBroker broker;

    @BeforeEach
    void startBroker() {
        broker = LocalKafkaBroker.start(LocalKafkaSettings.forTests());
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void anEmptyBrokerGetsPricesCandlesAndTheDeadLetterTopicWithTheConfiguredPartitions() throws Exception {
        assertThat(topic().prepare()).isEqualTo(3);

        try (Admin admin = admin()) {
            assertThat(admin.describeTopics(List.of(Topics.PRICES, Topics.CANDLES, Topics.DEAD_LETTER))
                    .allTopicNames().get().values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(3));
        }
    }

    @Test
    void pricesAndCandlesWithDifferentPartitionCountsAreRefusedSayingWhatToDo() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(Set.of(new NewTopic(Topics.PRICES, 3, (short) 1), new NewTopic(Topics.CANDLES, 2,
                    (short) 1))).all().get();
        }

        assertThatThrownBy(() -> topic().prepare()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("prices has 3 partitions and candles has 2")
                .hasMessageContaining("recreate candles with 3 partitions");
    }

    private KafkaPriceTopic topic() {
        return new KafkaPriceTopic(Map.of("bootstrap.servers", broker.bootstrapServers()), new TopicConfig() {
            @Override
            public int partitions() {
                return 3;
            }

            @Override
            public short replicationFactor() {
                return 1;
            }
        });
    }

    private Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
    }
}
