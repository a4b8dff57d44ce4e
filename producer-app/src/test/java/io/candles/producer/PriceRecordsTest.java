package io.candles.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import io.candles.domain.Price;
import io.candles.partitioning.TickerPartitioner;
import io.candles.wire.PriceJson;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;

/** The {@code prices} channel's wiring, on the in-memory connector: what each message says about its record. */
@QuarkusTest
@TestProfile(InMemoryChannelProfile.class)
class PriceRecordsTest {

    private static final List<String> DEFAULT_TICKERS = List.of("AAPL", "SBER", "NVDA", "TSLA");

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    PriceSender sender;

    @Test
    void everyMessageCarriesItsTickerAsKeyAndThePartitionOfItsTickerAndIsCountedWhenAcknowledged() {
        InMemorySink<byte[]> prices = connector.sink("prices");
        await().atMost(Duration.ofSeconds(30)).until(() -> prices.received().size() >= 40);

        TickerPartitioner expected = new TickerPartitioner(DEFAULT_TICKERS, FixedPriceTopic.PARTITIONS);
        List<? extends Message<byte[]>> sent = prices.received();
        Map<String, Long> perTicker = new HashMap<>();
        for (Message<byte[]> message : sent) {
            // The payload is the record's value in the wire format.
            Price price = PriceJson.read(message.getPayload());
            OutgoingKafkaRecordMetadata<?> route = message.getMetadata(OutgoingKafkaRecordMetadata.class)
                    .orElseThrow(() -> new AssertionError("no OutgoingKafkaRecordMetadata on " + price));
            assertThat(route.getKey()).as("key of %s", price).isEqualTo(price.ticker());
            assertThat(route.getPartition()).as("partition of %s", price.ticker())
                    .isEqualTo(expected.partitionOf(price.ticker()));
            perTicker.merge(price.ticker(), 1L, Long::sum);
        }
        assertThat(perTicker.keySet()).containsExactlyInAnyOrderElementsOf(DEFAULT_TICKERS);
        // The in-memory sink acknowledges each message right after taking it: the sender counts them.
        await().atMost(Duration.ofSeconds(10)).until(() -> sender.acknowledged() >= sent.size());
        assertThat(sender.failed()).isZero();
    }
}
