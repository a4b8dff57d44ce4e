package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.questdb.PropertyKey;

/**
 * The configuration of a {@code questdb/questdb} container: QuestDB reads every {@code QDB_*} variable as the
 * server.conf setting of that name ({@code QDB_PG_USER} -> {@code pg.user}) and keeps its defaults for the rest. Names
 * and defaults come from the QuestDB jar of the build, the version the images must run: a misspelled variable, which
 * QuestDB would silently ignore, fails here.
 */
record QuestDbEnv(Map<String, String> env) {

    static final String IMAGE = "questdb/questdb";

    /** The image's root directory of QuestDB (conf, db, public): its entrypoint's QUESTDB_DATA_DIR. */
    static final String DATA_DIR = "/var/lib/questdb";

    /** The server.conf QuestDB writes into a fresh root directory: every setting, most commented out at its default. */
    private static final String SERVER_CONF = "io/questdb/site/conf/server.conf";
    private static final Pattern CONF_LINE = Pattern.compile("^#?\\s*([a-z][a-z0-9._-]*)\\s*=(.*)$");
    /** setting -> default: the first line of server.conf that names a setting QuestDB knows, commented or not. */
    private static final Map<String, String> DEFAULTS = defaults();

    /** The QuestDB version of the build: local-questdb runs its jar, the manifests its image. */
    static String version() {
        String pom = Repo.read("pom.xml");
        return pom.replaceAll("(?s).*<questdb\\.version>([^<]+)</questdb\\.version>.*", "$1");
    }

    static String image() {
        return IMAGE + ":" + version();
    }

    /** The variables that set nothing QuestDB reads. */
    Map<String, String> unknownNames() {
        Map<String, String> unknown = new HashMap<>();
        env.forEach((name, value) -> {
            if (settingOf(name).isEmpty()) {
                unknown.put(name, value);
            }
        });
        return unknown;
    }

    /** The value QuestDB runs with: its variable, or the default of the jar's server.conf. */
    String effective(String setting) {
        assertThat(PropertyKey.getByString(setting)).as("%s is a QuestDB setting", setting).isPresent();
        String variable = PropertyKey.getByString(setting).orElseThrow().getEnvVarName();
        String value = env.containsKey(variable) ? env.get(variable) : DEFAULTS.get(setting);
        assertThat(value).as("%s: set, or a default in %s", setting, SERVER_CONF).isNotNull();
        return value.trim();
    }

    boolean enabled(String setting) {
        return Boolean.parseBoolean(effective(setting));
    }

    /** The port of a bind setting ({@code pg.net.bind.to=0.0.0.0:8812}). */
    int port(String bindSetting) {
        String address = effective(bindSetting);
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** Telemetry off, and the PostgreSQL wire protocol and HTTP the only ways in: no line protocol listeners. */
    void assertOnlyPostgresAndHttpWithoutTelemetry() {
        assertThat(unknownNames()).as("variables QuestDB does not read").isEmpty();
        assertThat(enabled("telemetry.enabled")).as("telemetry.enabled").isFalse();
        assertThat(enabled("line.tcp.enabled")).as("line.tcp.enabled").isFalse();
        assertThat(enabled("line.udp.enabled")).as("line.udp.enabled").isFalse();
        assertThat(enabled("pg.enabled")).as("pg.enabled").isTrue();
        assertThat(enabled("http.enabled")).as("http.enabled").isTrue();
        // The health checks ask the minimal HTTP server, which logs nothing per request.
        assertThat(enabled("http.min.enabled")).as("http.min.enabled").isTrue();
    }

    /**
     * The app's datasource is QuestDB's PostgreSQL wire protocol at {@code host}, with QuestDB's account, and sends
     * batches as multi-row inserts. Returns the port the URL names (a Service port in Kubernetes).
     */
    int assertDatasourceOf(App app, Map<String, String> appEnv, String host) {
        JdbcUrl url = JdbcUrl.parse(app.effective("quarkus.datasource.jdbc.url", appEnv).orElseThrow());

        assertThat(app.property("quarkus.datasource.db-kind")).as(app.name).contains("postgresql");
        assertThat(url.host()).as("%s reaches QuestDB by the name %s", app.name, host).isEqualTo(host);
        assertThat(url.database()).as("QuestDB's one database").isEqualTo("qdb");
        assertThat(url.parameters()).containsEntry("reWriteBatchedInserts", "true");
        assertThat(app.effective("quarkus.datasource.username", appEnv)).as(app.name).contains(effective("pg.user"));
        assertThat(app.effective("quarkus.datasource.password", appEnv)).as(app.name)
                .contains(effective("pg.password"));
        return url.port();
    }

    private static Optional<PropertyKey> settingOf(String variable) {
        for (PropertyKey key : PropertyKey.values()) {
            if (key.getEnvVarName().equals(variable)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        try (InputStream in = PropertyKey.class.getClassLoader().getResourceAsStream(SERVER_CONF)) {
            assertThat(in).as("%s in the QuestDB jar", SERVER_CONF).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                Matcher matcher = CONF_LINE.matcher(line.trim());
                if (matcher.matches() && PropertyKey.getByString(matcher.group(1)).isPresent()) {
                    defaults.putIfAbsent(matcher.group(1), matcher.group(2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return defaults;
    }

    /** A {@code jdbc:postgresql://host:port/database?parameters} URL. */
    record JdbcUrl(String host, int port, String database, Map<String, String> parameters) {

        static JdbcUrl parse(String url) {
            assertThat(url).startsWith("jdbc:postgresql://");
            URI uri = URI.create(url.substring("jdbc:".length()));
            Map<String, String> parameters = new LinkedHashMap<>();
            if (uri.getQuery() != null) {
                for (String parameter : uri.getQuery().split("&")) {
                    String[] nameAndValue = parameter.split("=", 2);
                    parameters.put(nameAndValue[0], nameAndValue.length > 1 ? nameAndValue[1] : "");
                }
            }
            assertThat(uri.getPort()).as("port in %s", url).isPositive();
            return new JdbcUrl(uri.getHost(), uri.getPort(), uri.getPath().replaceFirst("^/", ""), parameters);
        }
    }
}
