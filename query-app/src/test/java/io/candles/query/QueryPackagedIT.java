package io.candles.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.localkafka.LocalKafkaTestResource;
import io.candles.localpipeline.Http;
import io.candles.localquestdb.LocalQuestDbTestResource;
import io.candles.testkit.KafkaTopics;
import io.candles.wire.CandleJson;
import io.candles.wire.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged query-app as it ships in its container image: the jar here, the native executable with
 * {@code -Dnative}. It proves what the deployment relies on: the probes' paths answer with the candle store UP, a
 * candle published to Kafka is served by the API, and the page, its chart library (a WebJar) and the OpenAPI
 * document are served.
 */
@QuarkusIntegrationTest
@WithTestResource(value = LocalKafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = LocalQuestDbTestResource.class, scope = TestResourceScope.GLOBAL)
class QueryPackagedIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URI root;

    @Test
    void servesTheProbesTheApiThePageAndItsDocument() throws Exception {
        await().atMost(WITHIN).until(() -> Http.get(root.resolve("/q/health/ready")).statusCode() == 200);
        assertThat(Http.get(root.resolve("/q/health/ready")).body()).contains("\"candle-store\"")
                .doesNotContain("\"DOWN\"");
        assertThat(Http.get(root.resolve("/q/health/live")).statusCode()).isEqualTo(200);

        KafkaTopics kafka = new KafkaTopics(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers",
                String.class));
        kafka.createPipelineTopics(3);
        Candle candle = new Candle("SBER", CandlePeriod.ONE_MINUTE, 200, 202, 199, 201,
                Instant.parse("2026-11-21T16:00:00Z"));
        kafka.sendRaw(Topics.CANDLES, 1, "SBER", CandleJson.write(candle));
        await().atMost(WITHIN).until(() -> Http.get(root.resolve("/api/candles?ticker=SBER&period=1m"))
                .statusCode() == 200);
        HttpResponse<String> answer = Http.get(root.resolve("/api/candles?ticker=SBER&period=1m"));
        assertThat(answer.body()).isEqualTo("[" + new String(CandleJson.write(candle)) + "]");
        assertThat(Http.get(root.resolve("/api/candles?ticker=SBER&period=7m")).statusCode()).isEqualTo(400);

        assertThat(Http.get(root.resolve("/")).body()).contains("<div id=\"chart\">");
        assertThat(Http.get(root.resolve("/webjars/echarts/dist/echarts.min.js")).statusCode()).isEqualTo(200);
        assertThat(Http.get(root.resolve("/q/openapi")).body()).contains("/api/candles/stream");
    }
}
