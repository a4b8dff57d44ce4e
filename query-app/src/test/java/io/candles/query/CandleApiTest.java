package io.candles.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import io.quarkus.test.junit.QuarkusTest;

/**
 * The query app against a real broker and a real QuestDB: candles published to {@code candles} are stored once (the
 * first of each window wins over a later repeat), answered by the API, and bad requests get a 400 naming the parameter.
 */
@QuarkusTest
@WithTestResource(value = LocalKafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = LocalQuestDbTestResource.class, scope = TestResourceScope.GLOBAL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CandleApiTest {

    private static final Instant T0 = Instant.parse("2026-11-21T16:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource("/")
    URI root;

    @Inject
    DataSource questDb;

    @BeforeAll
    void publishCandles() {
        KafkaTopics topics = new KafkaTopics(bootstrapServers);
        topics.createPipelineTopics(3);
        for (int minute = 0; minute < 5; minute++) {
            topics.sendRaw(Topics.CANDLES, 1, "SBER", CandleJson.write(candle("SBER", CandlePeriod.ONE_MINUTE, minute,
                    200 + minute)));
        }
        topics.sendRaw(Topics.CANDLES, 2, "AAPL", CandleJson.write(candle("AAPL", CandlePeriod.ONE_MINUTE, 0, 100)));
        topics.sendRaw(Topics.CANDLES, 2, "AAPL", CandleJson.write(candle("AAPL", CandlePeriod.ONE_MINUTE, 1, 101)));
        topics.sendRaw(Topics.CANDLES, 1, "SBER", CandleJson.write(candle("SBER", CandlePeriod.TWO_MINUTES, 0, 200)));
        // A stage restarted meanwhile publishes minute 2 again, from part of its prices: the first one must stay.
        topics.sendRaw(Topics.CANDLES, 1, "SBER", CandleJson.write(candle("SBER", CandlePeriod.ONE_MINUTE, 2, 999)));
        topics.sendRaw(Topics.CANDLES, 1, "SBER", "{\"ticker\":\"SBER\",\"period\":\"5m\"}".getBytes(
                StandardCharsets.UTF_8));
        topics.sendRaw(Topics.CANDLES, 1, "SBER", CandleJson.write(candle("SBER", CandlePeriod.ONE_MINUTE, 5, 205)));
    }

    @Test
    @Order(1)
    void storesEachCandleOnceKeepingTheFirstOfAWindowAndServesThemOldestFirst() throws Exception {
        await().atMost(WAIT).until(() -> get("/api/candles?ticker=SBER&period=1m").size() == 6);

        JsonNode sber = get("/api/candles?ticker=SBER&period=1m");
        for (int minute = 0; minute < 6; minute++) {
            JsonNode candle = sber.get(minute);
            assertThat(candle.get("ts").asText()).isEqualTo(T0.plusSeconds(60L * minute).toString()
                    .replace("Z", ".000Z"));
            assertThat(candle.get("open").asDouble()).as("minute %d", minute).isEqualTo(200.0 + minute);
        }
        assertThat(sber.get(0).toString()).isEqualTo(new String(CandleJson.write(candle("SBER",
                CandlePeriod.ONE_MINUTE, 0, 200)), StandardCharsets.UTF_8));
        // QuestDB itself holds each window once, with the first candle's values.
        await().atMost(WAIT).until(() -> rows("SELECT count() FROM candles WHERE ticker = 'SBER' AND period = '1m'")
                == 6);
        assertThat(rows("SELECT count() FROM candles WHERE open = 999")).isZero();
    }

    @Test
    @Order(2)
    void rangesLimitsLatestAndTickers() throws Exception {
        await().atMost(WAIT).until(() -> get("/api/candles?ticker=AAPL&period=1m").size() == 2);

        assertThat(opens(get("/api/candles?ticker=SBER&period=1m&from=2026-11-21T16:01:00Z&to=2026-11-21T16:04:00Z")))
                .containsExactly(201.0, 202.0, 203.0);
        assertThat(opens(get("/api/candles?ticker=SBER&period=1m&from=2026-11-21T16:01:00Z&limit=2")))
                .containsExactly(201.0, 202.0);
        assertThat(opens(get("/api/candles?ticker=SBER&period=1m&limit=2"))).containsExactly(204.0, 205.0);
        assertThat(opens(get("/api/candles?ticker=SBER&period=1m&to=2026-11-21T16:02:00Z"))).containsExactly(200.0,
                201.0);
        assertThat(get("/api/candles?ticker=SBER&period=10m")).isEmpty();

        JsonNode latest = get("/api/candles/latest?period=1m");
        assertThat(latest).hasSize(2);
        assertThat(latest.get(0).get("ticker").asText()).isEqualTo("AAPL");
        assertThat(latest.get(0).get("open").asDouble()).isEqualTo(101.0);
        assertThat(latest.get(1).get("open").asDouble()).isEqualTo(205.0);

        JsonNode tickers = get("/api/tickers");
        assertThat(tickers.toString()).isEqualTo("[{\"ticker\":\"AAPL\",\"newest\":{\"1m\":\"2026-11-21T16:01:00.000Z\"}},"
                + "{\"ticker\":\"SBER\",\"newest\":{\"1m\":\"2026-11-21T16:05:00.000Z\",\"2m\":\"2026-11-21T16:00:00.000Z\"}}]");
    }

    @Test
    @Order(3)
    void badRequestsAreRefusedWithAJsonBodyThatNamesTheParameter() throws Exception {
        assertRefused("/api/candles?ticker=SBER&period=5m", 400, "period", "5m");
        assertRefused("/api/candles?ticker=SBER", 400, "period", null);
        assertRefused("/api/candles?period=1m", 400, "ticker", null);
        assertRefused("/api/candles?ticker=SBER&period=1m&from=yesterday", 400, "from", "yesterday");
        assertRefused("/api/candles?ticker=SBER&period=1m&from=2026-11-21T17:00:00Z&to=2026-11-21T16:00:00Z", 400,
                "from", "2026-11-21T17:00:00Z");
        assertRefused("/api/candles?ticker=SBER&period=1m&limit=0", 400, "limit", "0");
        assertRefused("/api/candles?ticker=SBER&period=1m&limit=10001", 400, "limit", "10001");
        assertRefused("/api/candles?ticker=SBER&period=1m&limit=lots", 400, "limit", "lots");
        assertRefused("/api/candles/latest?period=", 400, "period", null); // empty = missing
        assertRefused("/api/candles?ticker=NOPE&period=1m", 404, "ticker", "NOPE");
        assertRefused("/api/candles?ticker=" + URLEncoder.encode("\ud800\u0000'; DROP TABLE candles;--",
                StandardCharsets.UTF_8) + "&period=1m", 404, "ticker", null);
        assertThat(get("/api/candles?ticker=SBER&period=1m")).hasSize(6); // still there
    }

    @Test
    @Order(4)
    void theApiIsDescribedByTheOpenApiDocument() throws Exception {
        HttpResponse<String> document = Http.get(root.resolve("/q/openapi?format=json"));
        assertThat(document.statusCode()).isEqualTo(200);
        JsonNode paths = JSON.readTree(document.body()).get("paths");
        assertThat(paths.has("/api/candles")).isTrue();
        assertThat(paths.has("/api/candles/latest")).isTrue();
        assertThat(paths.has("/api/tickers")).isTrue();
        assertThat(Http.get(root.resolve("/q/swagger-ui/")).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void theStreamPushesEachNewCandleOfItsSeriesOnceAndNothingElse() throws Exception {
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(root.resolve("/api/candles/stream?ticker=MSFT&period=1m"))
                .header("Accept", "text/event-stream").build();
        java.util.concurrent.CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> stream = HttpClient
                .newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<java.util.stream.Stream<String>> response = stream.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/event-stream"));
        Thread reader = new Thread(() -> response.body().forEach(received::add), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        await("the keep-alive comment that opens the stream").atMost(WAIT)
                .until(() -> received.stream().anyMatch(line -> line.startsWith(":")));

        KafkaTopics topics = new KafkaTopics(bootstrapServers);
        String first = new String(CandleJson.write(candle("MSFT", CandlePeriod.ONE_MINUTE, 0, 300)),
                StandardCharsets.UTF_8);
        topics.sendRaw(Topics.CANDLES, 0, "MSFT", first.getBytes(StandardCharsets.UTF_8));
        topics.sendRaw(Topics.CANDLES, 0, "MSFT", CandleJson.write(candle("MSFT", CandlePeriod.TWO_MINUTES, 0, 300)));
        topics.sendRaw(Topics.CANDLES, 2, "AAPL", CandleJson.write(candle("AAPL", CandlePeriod.ONE_MINUTE, 3, 103)));
        // A repeat of the first window is dropped by the store, so the stream never shows it either.
        topics.sendRaw(Topics.CANDLES, 0, "MSFT", CandleJson.write(candle("MSFT", CandlePeriod.ONE_MINUTE, 0, 999)));
        String second = new String(CandleJson.write(candle("MSFT", CandlePeriod.ONE_MINUTE, 1, 301)),
                StandardCharsets.UTF_8);
        topics.sendRaw(Topics.CANDLES, 0, "MSFT", second.getBytes(StandardCharsets.UTF_8));

        await("the second candle reaches the client").atMost(WAIT).until(() -> received.contains("data:" + second));
        assertThat(received.stream().filter(line -> line.startsWith("data:")).toList())
                .containsExactly("data:" + first, "data:" + second);
        assertThat(received).contains("event:candle");
        response.body().close();
    }

    @Test
    @Order(6)
    void aStreamRequestWithABadPeriodIsRefusedLikeAnyRead() throws Exception {
        assertRefused("/api/candles/stream?ticker=MSFT&period=3m", 400, "period", "3m");
    }

    @Test
    @Order(7)
    void aCandleFarAheadOfItsPartitionsStreamTimeIsSkippedAndTheSeriesGoesOn() throws Exception {
        KafkaTopics topics = new KafkaTopics(bootstrapServers);
        topics.sendRaw(Topics.CANDLES, 2, "AAPL", CandleJson.write(new Candle("AAPL", CandlePeriod.ONE_MINUTE, 1, 1, 1,
                1, Instant.parse("2200-01-01T00:00:00Z"))));
        topics.sendRaw(Topics.CANDLES, 2, "AAPL", CandleJson.write(candle("AAPL", CandlePeriod.ONE_MINUTE, 7, 107)));

        await().atMost(WAIT).until(() -> opens(get("/api/candles?ticker=AAPL&period=1m")).contains(107.0));
        assertThat(get("/api/candles?ticker=AAPL&period=1m&from=2100-01-01T00:00:00Z")).isEmpty();
        assertThat(rows("SELECT count() FROM candles WHERE ts > '2100-01-01'")).isZero();
    }

    private void assertRefused(String path, int status, String parameter, String value) throws Exception {
        HttpResponse<String> answer = Http.get(root.resolve(path));
        assertThat(answer.statusCode()).as(path).isEqualTo(status);
        assertThat(answer.headers().firstValue("content-type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("parameter").asText()).as(path).isEqualTo(parameter);
        if (value != null) {
            assertThat(body.get("value").asText()).as(path).isEqualTo(value);
        }
        assertThat(body.get("message").asText()).as(path).isNotBlank();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> answer = Http.get(root.resolve(path));
        assertThat(answer.statusCode()).as("%s: %s", path, answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private long rows(String sql) throws Exception {
        try (Connection connection = questDb.getConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static List<Double> opens(JsonNode candles) {
        return java.util.stream.StreamSupport.stream(candles.spliterator(), false)
                .map(candle -> candle.get("open").asDouble()).toList();
    }

    private static Candle candle(String ticker, CandlePeriod period, int minute, double open) {
        Instant ts = period.windowStart(T0.plusSeconds(60L * minute));
        return new Candle(ticker, period, open, open + 2, open - 1, open + 1, ts);
    }
}
