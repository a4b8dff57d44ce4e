package io.candles.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.candles.consumer.CandlesConfig;
import io.candles.producer.GeneratorConfig;
import io.candles.producer.TopicConfig;
import io.candles.query.QueryConfig;

/**
 * What an app reads and serves, derived from its application.properties and its {@code @ConfigMapping} interfaces (the
 * classes themselves, on the test classpath): the contract its deployment files must meet. A renamed setting changes
 * this, and the checks of every file that still uses the old name fail.
 */
final class App {

    /**
     * Settings the apps read that application.properties does not declare: Quarkus' Kafka extension passes
     * kafka.bootstrap.servers to every channel (no value outside dev/test mode, where Dev Services provide one).
     */
    static final Set<String> FRAMEWORK_SETTINGS = Set.of("kafka.bootstrap.servers");

    private static final Pattern PROFILE = Pattern.compile("^%[^.]+\\.");

    // After the constants the constructor uses. Each app's @ConfigMapping interfaces are listed by hand (the apps' jars
    // carry no Jandex index to find them by): the settings of one missing here are unknown, and every deployment file
    // that sets one fails its checks.
    static final App PRODUCER = new App("producer-app", GeneratorConfig.class, TopicConfig.class);
    static final App CONSUMER = new App("consumer-app", CandlesConfig.class);
    static final App QUERY = new App("query-app", QueryConfig.class);
    static final List<App> ALL = List.of(PRODUCER, CONSUMER, QUERY);


    final String name;
    final Path dir;
    private final Properties properties = new Properties();
    private final Set<String> settings = new TreeSet<>();

    private App(String name, Class<?>... configMappings) {
        this.name = name;
        this.dir = Repo.path(name);
        try {
            properties.load(new StringReader(Repo.read(dir.resolve("src/main/resources/application.properties"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.stringPropertyNames().forEach(key -> settings.add(PROFILE.matcher(key).replaceFirst("")));
        for (Class<?> mapping : configMappings) {
            settings.addAll(ConfigMappingSettings.of(mapping));
        }
        settings.addAll(FRAMEWORK_SETTINGS);
    }

    /** Every setting name the app reads (profile prefixes removed). */
    Set<String> settings() {
        return settings;
    }

    /** The environment variable SmallRye Config maps to a setting: non-alphanumerics to '_', upper case. */
    static String envName(String setting) {
        return setting.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** The setting an environment variable sets, if the app reads one by that name. */
    Optional<String> settingOf(String envName) {
        return settings.stream().filter(setting -> envName(setting).equals(envName)).findFirst();
    }

    /** The value in the prod profile, as application.properties gives it. */
    Optional<String> property(String setting) {
        return Optional.ofNullable(properties.getProperty("%prod." + setting, properties.getProperty(setting)));
    }

    /** The value a deployment gets: its environment first, then application.properties (prod profile). */
    Optional<String> effective(String setting, Map<String, String> env) {
        return Optional.ofNullable(env.get(envName(setting))).or(() -> property(setting));
    }

    int httpPort(Map<String, String> env) {
        return Integer.parseInt(effective("quarkus.http.port", env).orElse("8080"));
    }

    /**
     * The path Quarkus serves a health check group on with this app's settings ("liveness" or "readiness"):
     * /q/health/live and /q/health/ready by default.
     */
    String healthPath(String group) {
        String root = property("quarkus.http.root-path").orElse("/");
        String nonApplication = property("quarkus.http.non-application-root-path").orElse("q");
        String health = property("quarkus.smallrye-health.root-path").orElse("health");
        String leaf = property("quarkus.smallrye-health." + group + "-path")
                .orElse(group.equals("liveness") ? "live" : "ready");
        return ("/" + root + "/" + nonApplication + "/" + health + "/" + leaf).replaceAll("/+", "/");
    }

    /** The Kafka channels of the connector, by direction ("incoming" or "outgoing"), in declaration order. */
    List<String> kafkaChannels(String direction) {
        Pattern connector = Pattern.compile("^mp\\.messaging\\." + direction + "\\.([^.]+)\\.connector$");
        List<String> channels = new ArrayList<>();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            Matcher matcher = connector.matcher(key);
            if (matcher.matches() && properties.getProperty(key).equals("smallrye-kafka")) {
                channels.add(matcher.group(1));
            }
        }
        return channels;
    }

    /**
     * A channel attribute as the connector sees it: the channel's own, else the default for every channel of its
     * connector ({@code mp.messaging.connector.smallrye-kafka.*}), else the Kafka clients' {@code kafka.*} default.
     */
    Optional<String> channelAttribute(String direction, String channel, String attribute, Map<String, String> env) {
        String own = "mp.messaging." + direction + "." + channel + ".";
        return effective(own + attribute, env)
                .or(() -> effective(own + "connector", env)
                        .flatMap(connector -> effective("mp.messaging.connector." + connector + "." + attribute, env)))
                .or(() -> effective("kafka." + attribute, env));
    }

    /** The variables of an environment that set nothing the app reads. */
    Map<String, String> unknownNames(Map<String, String> env) {
        Map<String, String> unknown = new HashMap<>();
        env.forEach((name, value) -> {
            if (settingOf(name).isEmpty()) {
                unknown.put(name, value);
            }
        });
        return unknown;
    }

    @Override
    public String toString() {
        return name;
    }
}
