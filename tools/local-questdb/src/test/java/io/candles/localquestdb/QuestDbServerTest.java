package io.candles.localquestdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real QuestDB from the Maven jar: it answers SQL, keeps a table across a kill and a restart, and stops. */
class QuestDbServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aTableSurvivesAKillAndARestartOnTheSameDirectory() throws Exception {
        LocalQuestDbSettings settings = new LocalQuestDbSettings(LocalQuestDbSettings.LOOPBACK, 0, 0, dir, "256m",
                Duration.ofSeconds(60));
        try (QuestDbServer server = QuestDbServer.start(settings)) {
            assertThat(server.httpUrl()).startsWith("http://127.0.0.1:");
            assertThat(server.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
            assertThat(sql(server, "CREATE TABLE t (x LONG, ts TIMESTAMP) TIMESTAMP(ts) PARTITION BY DAY"))
                    .contains("\"ddl\":\"OK\"");
            assertThat(sql(server, "INSERT INTO t VALUES (42, '2026-01-01T00:00:00Z')")).contains("\"dml\":\"OK\"");
            server.kill();
            assertThat(server.isAlive()).isFalse();
        }
        try (QuestDbServer again = QuestDbServer.start(settings)) {
            // The insert reached the table's write-ahead log; the restarted server applies it in the background.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(
                    () -> assertThat(sql(again, "SELECT x FROM t")).contains("[[42]]"));
        }
        assertThat(dir).isDirectory(); // a given directory is the user's: kept
    }

    @Test
    void aTemporaryDirectoryIsDeletedOnClose() {
        QuestDbServer server = QuestDbServer.start(LocalQuestDbSettings.forTests());
        Path root = server.dataDir();
        assertThat(root.resolve("conf/server.conf")).exists();
        server.close();
        assertThat(server.isAlive()).isFalse();
        assertThat(Files.exists(root)).isFalse();
    }

    @Test
    void badSettingsNameTheValue() {
        assertThatThrownBy(() -> new LocalQuestDbSettings("127.0.0.1", 70_000, 0, null, "1g", Duration.ZERO))
                .hasMessageContaining("httpPort must be 0..65535, was 70000");
        assertThatThrownBy(() -> new LocalQuestDbSettings("127.0.0.1", 9000, 9000, null, "1g", Duration.ZERO))
                .hasMessageContaining("both were 9000");
        assertThatThrownBy(() -> new LocalQuestDbSettings("127.0.0.1", 0, 0, null, "lots", Duration.ZERO))
                .hasMessageContaining("\"lots\"");
        assertThatThrownBy(() -> LocalQuestDb.parse(new String[] {"--pg-port", "x"}, java.util.Map.of()))
                .hasMessageContaining("--pg-port must be a port number, was \"x\"");
    }

    private static String sql(QuestDbServer server, String query) throws Exception {
        URI uri = URI.create(server.httpUrl() + "/exec?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
