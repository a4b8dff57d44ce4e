package io.candles.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.candles.consumer.sink.CandleSink;
import io.candles.domain.CandlePeriod;
import io.candles.domain.Price;
import io.candles.localkafka.LocalKafkaTestResource;
import io.candles.testkit.KafkaTopics;
import io.candles.wire.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The consumer app against a real broker: the embedded KRaft broker here, Dev Services where Docker runs. */
@QuarkusTest
@TestProfile(FreshOutputDirProfile.class)
@WithTestResource(value = LocalKafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class CandlePipelineTest {

    private static final Instant START = Instant.parse("2026-11-21T16:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    CandleSink sink;

    @Test
    void aKnownPriceSequenceBecomesExactlyTheExpectedCandlesWrittenTenPerAppendAndAPoisonRecordIsDeadLettered() {
        KafkaTopics kafka = new KafkaTopics(bootstrapServers);
        kafka.createPipelineTopics(3);
        // 16:00:00 .. 16:40:00 every 10 s: 40 closed 1m, 20 closed 2m and 4 closed 10m windows per ticker.
        List<Price> prices = ScriptedPrices.every(Duration.ofSeconds(10), START, START.plusSeconds(2400), 42);
        ScriptedPrices.sendPoisonThen(kafka, prices);

        List<Integer> observedLineCounts = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            List<Integer> counts = List.of(FreshOutputDirProfile.lines(CandlePeriod.ONE_MINUTE).size(),
                    FreshOutputDirProfile.lines(CandlePeriod.TWO_MINUTES).size(), FreshOutputDirProfile.lines(CandlePeriod.TEN_MINUTES).size());
            observedLineCounts.addAll(counts);
            return counts.equals(List.of(160, 80, 10)) && sink.writer().buffered(CandlePeriod.TEN_MINUTES) == 6;
        });

        // Every append was a whole batch of 10.
        assertThat(observedLineCounts).allMatch(count -> count % 10 == 0);
        assertThat(sink.writer().batches()).isEqualTo(25);

        Map<CandlePeriod, List<String>> expectedLines = ScriptedPrices.expectedLines(prices);
        assertThat(FreshOutputDirProfile.lines(CandlePeriod.ONE_MINUTE)).containsExactlyInAnyOrderElementsOf(
                expectedLines.get(CandlePeriod.ONE_MINUTE));
        assertThat(FreshOutputDirProfile.lines(CandlePeriod.TWO_MINUTES)).containsExactlyInAnyOrderElementsOf(
                expectedLines.get(CandlePeriod.TWO_MINUTES));
        assertThat(expectedLines.get(CandlePeriod.TEN_MINUTES)).hasSize(16)
                .containsAll(FreshOutputDirProfile.lines(CandlePeriod.TEN_MINUTES));

        // An independent check of one candle: SBER 16:07, computed from the raw prices.
        List<Double> sber0707 = prices.stream()
                .filter(p -> p.ticker().equals("SBER") && !p.ts().isBefore(START.plusSeconds(420))
                        && p.ts().isBefore(START.plusSeconds(480)))
                .map(Price::value).toList();
        String expectedSber = String.format(java.util.Locale.ROOT, "SBER,2026-11-21T16:07:00Z,%.6f,%.6f,%.6f,%.6f",
                sber0707.get(0), sber0707.stream().mapToDouble(v -> v).max().orElseThrow(),
                sber0707.stream().mapToDouble(v -> v).min().orElseThrow(), sber0707.get(sber0707.size() - 1));
        assertThat(FreshOutputDirProfile.lines(CandlePeriod.ONE_MINUTE)).contains(expectedSber);

        List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readAll(Topics.DEAD_LETTER);
        assertThat(deadLetters).hasSize(1);
        assertThat(new String(deadLetters.get(0).value(), StandardCharsets.UTF_8)).contains("\"abc\"");
        Header reason = deadLetters.get(0).headers().lastHeader("dead-letter-reason");
        assertThat(reason).isNotNull();
        assertThat(new String(reason.value(), StandardCharsets.UTF_8)).contains("price.value");
    }
}
