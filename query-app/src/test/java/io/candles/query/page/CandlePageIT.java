package io.candles.query.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.localkafka.FreePort;
import io.candles.localkafka.LocalKafkaBroker;
import io.candles.localkafka.LocalKafkaSettings;
import io.candles.localpipeline.AppProcess;
import io.candles.localpipeline.Http;
import io.candles.localquestdb.LocalQuestDbSettings;
import io.candles.localquestdb.QuestDbServer;
import io.candles.testkit.KafkaTopics;
import io.candles.wire.CandleJson;
import io.candles.wire.Topics;

/**
 * The page in a real headless Chromium, against the packaged query-app with a real broker and QuestDB: it draws the
 * series' stored candles, a candle published to Kafka appears without a reload, and after query-app was killed and
 * started again the page says it is disconnected and then reconnects by itself.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} (other paths: {@code -Dchromium.binary},
 * {@code -Dchromedriver.binary}); skipped with a message where they are missing. {@code .ci/run} installs them. A
 * failure leaves a screenshot in {@code target/candle-page-failure.png}.
 */
class CandlePageIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary",
            "/usr/bin/chromedriver"));
    private static final Instant T0 = Instant.parse("2026-11-21T16:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(60);
    /** How many candles the chart draws, read through ECharts' own API. */
    private static final String DRAWN = "const c = window.echarts && echarts.getInstanceByDom("
            + "document.getElementById('chart')); const o = c && c.getOption(); const s = o && o.series;"
            + " return s && s.length ? s[0].data.length : -1;"; // -1 until the page has drawn its first option

    @TempDir
    Path work;

    @Test
    void showsTheStoredCandlesThenALivePushedOneAndReconnectsAfterARestart() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Skipped: no " + CHROMIUM + " or " + CHROMEDRIVER + " (apt-get install -y chromium chromium-driver)");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaSettings.forTests());
                QuestDbServer questDb = QuestDbServer.start(LocalQuestDbSettings.forTests())) {
            KafkaTopics topics = new KafkaTopics(broker.bootstrapServers());
            topics.createPipelineTopics(3);
            for (int minute = 0; minute < 5; minute++) {
                publish(topics, minute);
            }
            Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "QUARKUS_DATASOURCE_JDBC_URL", questDb.jdbcUrl());
            int port = FreePort.pick();
            AppProcess app = startApp(port, env, "first.log");
            ChromeDriver browser = browser();
            try {
                await("query-app stored the five candles").atMost(WAIT).until(() -> Http.get(URI.create(
                        "http://127.0.0.1:" + port + "/api/candles?ticker=SBER&period=1m")).body()
                        .contains("2026-11-21T16:04:00.000Z"));
                browser.get("http://127.0.0.1:" + port + "/?ticker=SBER&period=1m");
                await("the chart draws the stored candles").atMost(WAIT).until(() -> drawn(browser) == 5);
                await("the status line says live").atMost(WAIT).until(() -> "live".equals(state(browser)));
                assertThat(text(browser, "status")).startsWith("Live · 5 candles");
                assertThat(script(browser, "return Array.from(document.getElementById('ticker').options)"
                        + ".map(o => o.value).join(',')")).isEqualTo("SBER");

                publish(topics, 5);
                await("the pushed candle appears without a reload").atMost(WAIT).until(() -> drawn(browser) == 6);
                assertThat(script(browser, "return JSON.stringify(echarts.getInstanceByDom("
                        + "document.getElementById('chart')).getOption().series[0].data[5])"))
                        .isEqualTo("[205,206,204,207]"); // open, close, low, high
                assertThat(script(browser, "return performance.getEntriesByType('navigation').length"))
                        .isEqualTo(1L);

                app.kill();
                await("the page says it lost the query app").atMost(WAIT).until(() -> "down".equals(state(browser)));
                AppProcess again = startApp(port, env, "second.log");
                try {
                    await("the page reconnects by itself").atMost(WAIT).until(() -> "live".equals(state(browser)));
                    publish(topics, 6);
                    await("a candle pushed after the reconnect appears").atMost(WAIT)
                            .until(() -> drawn(browser) == 7);
                    screenshot(browser, "candle-page.png");
                } finally {
                    again.close();
                }
            } catch (Throwable failure) {
                Path shot = screenshot(browser, "candle-page-failure.png");
                failure.addSuppressed(new AssertionError("screenshot of the page: " + shot.toAbsolutePath()
                        + "; query-app logs in " + work));
                throw failure;
            } finally {
                browser.quit();
                app.close();
            }
        }
    }

    private AppProcess startApp(int port, Map<String, String> env, String log) throws IOException {
        AppProcess app = AppProcess.start(JAR, Files.createFile(work.resolve(log)), port, env);
        await("query-app is ready").atMost(WAIT).until(() -> app.httpStatus("/q/health/ready") == 200);
        return app;
    }

    private ChromeDriver browser() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The flags this machine needs: root (no sandbox), no GPU, and no calls home, which its closed network
        // refuses; a fresh profile each run.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,800",
                "--user-data-dir=" + Files.createDirectories(work.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void publish(KafkaTopics topics, int minute) {
        double open = 200 + minute;
        Candle candle = new Candle("SBER", CandlePeriod.ONE_MINUTE, open, open + 2, open - 1, open + 1,
                T0.plusSeconds(60L * minute));
        topics.sendRaw(Topics.CANDLES, 1, "SBER", CandleJson.write(candle));
    }

    private static long drawn(ChromeDriver browser) {
        Object count = script(browser, DRAWN);
        return count instanceof Number number ? number.longValue() : -1;
    }

    private static String state(ChromeDriver browser) {
        return (String) script(browser, "return document.getElementById('status').dataset.state");
    }

    private static String text(ChromeDriver browser, String id) {
        return (String) script(browser, "return document.getElementById('" + id + "').textContent");
    }

    private static Object script(ChromeDriver browser, String js) {
        return ((JavascriptExecutor) browser).executeScript(js);
    }

    private static Path screenshot(ChromeDriver browser, String name) {
        Path target = Path.of("target", name);
        try {
            Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException | RuntimeException e) {
            return Path.of("(no screenshot: " + e.getMessage() + ")");
        }
        return target;
    }
}
