package io.candles.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.candles.domain.CandlePeriod;
import io.candles.domain.Price;
import io.candles.localkafka.LocalKafkaTestResource;
import io.candles.localpipeline.Http;
import io.candles.testkit.KafkaTopics;
import io.candles.wire.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The packaged consumer as it ships in its container image: the jar here, the native executable with {@code -Dnative}.
 * Default settings (prod profile) except the output directory; no {@code candles.instance-id}, so its default source
 * ({@code InstanceIdDefault}, loaded through META-INF/services) must work too. It proves what the deployment relies
 * on: the probes' health paths answer, lz4-compressed prices become exactly the expected candle files, and a bad
 * record reaches the dead-letter topic with its reason.
 */
@QuarkusIntegrationTest
@TestProfile(FreshOutputDirProfile.class)
@WithTestResource(value = LocalKafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsumerPackagedIT {

    private static final Instant START = Instant.parse("2026-11-21T16:00:00Z");
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TestHTTPResource("/q/health/live")
    URL live;

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Test
    @Order(1)
    void theProbesHealthPathsAnswerUpOnceTheTopicsExist() throws Exception {
        kafka().createPipelineTopics(3);
        await().atMost(WITHIN).until(() -> Http.get(ready).statusCode() == 200);

        assertThat(Http.get(ready).body()).contains("\"candle-files\"").contains("\"UP\"").doesNotContain("\"DOWN\"");
        HttpResponse<String> liveness = Http.get(live);
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"candle-publishing\"").doesNotContain("\"DOWN\"");
    }

    @Test
    @Order(2)
    void knownPricesBecomeExactlyTheExpectedCandleFilesAndABadRecordIsDeadLettered() throws Exception {
        KafkaTopics kafka = kafka();
        kafka.createPipelineTopics(3);
        // 16:00:00 .. 16:20:00 every 10 s: 20 closed 1m and 10 closed 2m windows per ticker, written in whole batches
        // of 10; the 8 closed 10m candles stay buffered (fewer than a batch).
        List<Price> prices = ScriptedPrices.every(Duration.ofSeconds(10), START, START.plusSeconds(1200), 7);
        ScriptedPrices.sendPoisonThen(kafka, prices);

        Map<CandlePeriod, List<String>> expectedLines = ScriptedPrices.expectedLines(prices);
        assertThat(expectedLines.get(CandlePeriod.ONE_MINUTE)).hasSize(80);
        assertThat(expectedLines.get(CandlePeriod.TWO_MINUTES)).hasSize(40);

        await().atMost(WITHIN).until(() -> FreshOutputDirProfile.lines(CandlePeriod.ONE_MINUTE).size() == 80
                && FreshOutputDirProfile.lines(CandlePeriod.TWO_MINUTES).size() == 40);
        assertThat(FreshOutputDirProfile.lines(CandlePeriod.ONE_MINUTE))
                .containsExactlyInAnyOrderElementsOf(expectedLines.get(CandlePeriod.ONE_MINUTE));
        assertThat(FreshOutputDirProfile.lines(CandlePeriod.TWO_MINUTES))
                .containsExactlyInAnyOrderElementsOf(expectedLines.get(CandlePeriod.TWO_MINUTES));
        assertThat(FreshOutputDirProfile.lines(CandlePeriod.TEN_MINUTES)).isEmpty();

        await().atMost(WITHIN).until(() -> kafka.readAll(Topics.DEAD_LETTER).size() == 1);
        ConsumerRecord<byte[], byte[]> deadLetter = kafka.readAll(Topics.DEAD_LETTER).get(0);
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).contains("\"abc\"");
        Header reason = deadLetter.headers().lastHeader("dead-letter-reason");
        assertThat(reason).isNotNull();
        assertThat(new String(reason.value(), StandardCharsets.UTF_8)).contains("price.value");
        // Counted by the field at fault, a bounded tag.
        assertThat(Http.get(metrics).body()).containsPattern(
                "records_dead_lettered_total\\{(?=[^}]*reason=\"price.value\")(?=[^}]*stage=\"1m\")[^}]*} 1\\.0");
    }

    private static KafkaTopics kafka() {
        return new KafkaTopics(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }
}
