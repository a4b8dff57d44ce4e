package io.candles.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.candles.domain.Price;
import io.candles.partitioning.TickerPartitioner;
import io.candles.wire.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(InMemoryChannelProfile.class)
class PriceRecordsTest {

    private static final List<String> DEFAULT_TICKERS = List.of("AAPL", "SBER", "NVDA", "TSLA");

    @Inject
    MockPriceProducer mock;

    @Test
    void everyPriceCarriesItsTickerAsKeyAndThePartitionOfItsTicker() {
        await().atMost(Duration.ofSeconds(30)).until(() -> mock.sent().size() >= 40);

        TickerPartitioner expected = new TickerPartitioner(DEFAULT_TICKERS, FixedPriceTopic.PARTITIONS);
        List<ProducerRecord<String, Price>> sent = mock.sent();
        for (ProducerRecord<String, Price> record : sent) {
            assertThat(record.topic()).isEqualTo(Topics.PRICES);
            assertThat(record.key()).isEqualTo(record.value().ticker());
            assertThat(record.partition()).isEqualTo(expected.partitionOf(record.value().ticker()));
        }
        Map<String, Long> perTicker = sent.stream()
                .collect(Collectors.groupingBy(record -> record.value().ticker(), Collectors.counting()));
        assertThat(perTicker.keySet()).containsExactlyInAnyOrderElementsOf(DEFAULT_TICKERS);
    }
}
