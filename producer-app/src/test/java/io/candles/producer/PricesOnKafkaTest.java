package io.candles.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.candles.domain.Price;
import io.candles.localkafka.LocalKafkaTestResource;
import io.candles.partitioning.TickerPartitioner;
import io.candles.testkit.KafkaTopics;
import io.candles.wire.PriceJson;
import io.candles.wire.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The producer against a real broker: the embedded KRaft broker here, Dev Services where Docker runs. */
@QuarkusTest
@WithTestResource(value = LocalKafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PricesOnKafkaTest {

    private static final List<String> DEFAULT_TICKERS = List.of("AAPL", "SBER", "NVDA", "TSLA");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    PriceFeed feed;

    @Inject
    PriceSender sender;

    @Test
    @Order(1)
    void createsThePipelineTopicsWithThreePartitions() throws Exception {
        List<String> pipeline = List.of(Topics.PRICES, Topics.CANDLES, Topics.DEAD_LETTER);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.listTopics().names().get()
                    .containsAll(pipeline));
            admin.describeTopics(pipeline).allTopicNames().get().values()
                    .forEach(topic -> assertThat(topic.partitions()).as(topic.name()).hasSize(3));
        }
    }

    @Test
    @Order(2)
    void eachTickerLandsOnThePartitionTheTickerPartitionerGivesKeyedByTickerAndAllPartitionsAreUsed() {
        Map<String, Set<Integer>> partitionsByTicker = new HashMap<>();
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(Topics.PRICES));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(record);
                    partitionsByTicker.computeIfAbsent(record.key(), k -> new HashSet<>()).add(record.partition());
                }
                return records.size() >= 200 && partitionsByTicker.keySet().containsAll(DEFAULT_TICKERS);
            });
        }

        assertThat(partitionsByTicker.keySet()).containsExactlyInAnyOrderElementsOf(DEFAULT_TICKERS);
        partitionsByTicker.forEach((ticker, partitions) -> assertThat(partitions).as(ticker).hasSize(1));
        assertThat(partitionsByTicker.values().stream().flatMap(Set::stream).distinct())
                .containsExactlyInAnyOrder(0, 1, 2);
        TickerPartitioner partitioner = new TickerPartitioner(DEFAULT_TICKERS, 3);
        for (ConsumerRecord<String, String> record : records) {
            Price price = PriceJson.read(record.value().getBytes(StandardCharsets.UTF_8));
            assertThat(price.ticker()).isEqualTo(record.key());
            assertThat(record.partition()).as("partition of %s", price.ticker())
                    .isEqualTo(partitioner.partitionOf(price.ticker()));
        }
    }

    @Test
    @Order(3)
    void afterShutdownTheTopicHoldsExactlyTheGeneratedPrices() throws Exception {
        assertThat(feed.stopAndDrain()).isTrue();

        long generated = sender.generated();
        assertThat(generated).isPositive();
        assertThat(sender.acknowledged()).isEqualTo(generated);
        assertThat(sender.failed()).isZero();
        assertThat(new KafkaTopics(bootstrapServers).count(Topics.PRICES)).isEqualTo(generated);
    }

    private KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer());
    }
}
