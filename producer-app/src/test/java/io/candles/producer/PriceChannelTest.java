package io.candles.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import io.candles.domain.Price;
import io.candles.partitioning.TickerPartitioner;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;

@QuarkusTest
@TestProfile(InMemoryChannelProfile.class)
class PriceChannelTest {

    private static final List<String> DEFAULT_TICKERS = List.of("AAPL", "SBER", "NVDA", "TSLA");

    @Inject
    @Any
    InMemoryConnector connector;

    @Test
    void everyPriceCarriesItsTickerAsKeyAndThePartitionOfItsTicker() {
        InMemorySink<Price> prices = connector.sink("prices");
        await().atMost(Duration.ofSeconds(30)).until(() -> prices.received().size() >= 40);

        TickerPartitioner expected = new TickerPartitioner(DEFAULT_TICKERS, FixedPriceTopic.PARTITIONS);
        List<? extends Message<Price>> received = List.copyOf(prices.received());
        for (Message<Price> message : received) {
            OutgoingKafkaRecordMetadata<?> kafka = message.getMetadata(OutgoingKafkaRecordMetadata.class)
                    .orElseThrow(() -> new AssertionError("no Kafka metadata on " + message.getPayload()));
            assertThat(kafka.getKey()).isEqualTo(message.getPayload().ticker());
            assertThat(kafka.getPartition()).isEqualTo(expected.partitionOf(message.getPayload().ticker()));
        }
        Map<String, Long> perTicker = received.stream()
                .collect(Collectors.groupingBy(message -> message.getPayload().ticker(), Collectors.counting()));
        assertThat(perTicker.keySet()).containsExactlyInAnyOrderElementsOf(DEFAULT_TICKERS);
    }
}
