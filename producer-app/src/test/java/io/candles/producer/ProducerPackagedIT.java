package io.candles.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.candles.domain.Price;
import io.candles.localkafka.LocalKafkaTestResource;
import io.candles.localpipeline.Http;
import io.candles.wire.PriceJson;
import io.candles.wire.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged producer as it ships in its container image: the jar here, the native executable with {@code -Dnative}.
 * It proves what the deployment relies on: the probes' health paths answer, the topics exist with 3 partitions, and
 * prices arrive keyed by ticker in the wire format. In native mode that also proves the configured serializer and the
 * lz4 compression work without reflection the executable lacks.
 */
@QuarkusIntegrationTest
@WithTestResource(value = LocalKafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class ProducerPackagedIT {

    private static final List<String> DEFAULT_TICKERS = List.of("AAPL", "SBER", "NVDA", "TSLA");
    private static final Duration STARTED = Duration.ofSeconds(30);

    @TestHTTPResource("/q/health/live")
    URL live;

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @Test
    void theProbesHealthPathsAnswerUpOnceTheTopicsExist() throws Exception {
        await().atMost(STARTED).until(() -> Http.get(ready).statusCode() == 200);

        HttpResponse<String> readiness = Http.get(ready);
        assertThat(readiness.body()).contains("\"price-generator\"").contains("\"UP\"").doesNotContain("\"DOWN\"");
        HttpResponse<String> liveness = Http.get(live);
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"UP\"").doesNotContain("\"DOWN\"");
    }

    @Test
    void pricesArriveOnOnePartitionPerTickerInTheWireFormat() throws Exception {
        String bootstrapServers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            await().atMost(STARTED).until(() -> admin.listTopics().names().get()
                    .containsAll(List.of(Topics.PRICES, Topics.CANDLES)));
            admin.describeTopics(List.of(Topics.PRICES, Topics.CANDLES)).allTopicNames().get().values()
                    .forEach(topic -> assertThat(topic.partitions()).as(topic.name()).hasSize(3));
        }

        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        Map<String, Set<Integer>> partitionsByTicker = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "packaged-it-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.PRICES));
            await().atMost(STARTED).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(record);
                    partitionsByTicker.computeIfAbsent(record.key(), k -> new HashSet<>()).add(record.partition());
                }
                return partitionsByTicker.keySet().containsAll(DEFAULT_TICKERS) && records.size() >= 40;
            });
        }

        assertThat(partitionsByTicker.keySet()).containsExactlyInAnyOrderElementsOf(DEFAULT_TICKERS);
        partitionsByTicker.forEach((ticker, partitions) -> assertThat(partitions).as(ticker).hasSize(1));
        for (ConsumerRecord<String, String> record : records) {
            Price price = PriceJson.read(record.value().getBytes(StandardCharsets.UTF_8));
            assertThat(price.ticker()).isEqualTo(record.key());
            // Ticker i (0-based) draws from [(i+1)*100, (i+1)*100 + 20].
            double low = (DEFAULT_TICKERS.indexOf(price.ticker()) + 1) * 100.0;
            assertThat(price.value()).as(record.value()).isBetween(low, low + 20);
        }
    }
}
