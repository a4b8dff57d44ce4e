package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.candles.deploy.Compose.Published;
import io.candles.deploy.Compose.Service;
import io.candles.deploy.Images.Dockerfile;
import io.candles.deploy.KafkaBrokerEnv.Endpoint;

/** docker-compose.yml, parsed strictly and cross-checked against the apps, the images and Kafka's own rules. */
class DockerComposeTest {

    private static final Compose.File COMPOSE = Compose.read();
    private static final Map<String, App> APPS = Map.of("producer", App.PRODUCER, "consumer-1", App.CONSUMER,
            "consumer-2", App.CONSUMER, "query-app", App.QUERY);
    private static final List<String> CONSUMERS = List.of("consumer-1", "consumer-2");
    /** The one variable the file interpolates, with its default. */
    private static final String MODE = "${QUARKUS_MODE:-jvm}";

    @Test
    void theFileRunsKafkaKafkaUiTheProducerTwoConsumersQuestDbAndTheQueryApp() {
        assertThat(COMPOSE.services().keySet()).containsExactlyInAnyOrder("kafka", "kafka-ui", "producer",
                "consumer-1", "consumer-2", "questdb", "query-app", "prometheus", "grafana");
        assertThat(COMPOSE.services().get("kafka").image())
                .isEqualTo("apache/kafka:" + KubernetesManifestsTest.kafkaVersion());
        assertThat(COMPOSE.services().get("questdb").image()).isEqualTo(QuestDbEnv.image());
        assertThat(COMPOSE.services().get("kafka-ui").image()).matches("(provectuslabs|kafbat)/kafka-ui:.+");
        List<Integer> published = COMPOSE.services().values().stream().flatMap(s -> s.ports().stream())
                .map(mapping -> Published.parse(mapping).host()).toList();
        assertThat(published).as("host ports").doesNotHaveDuplicates();
    }

    @Test
    void kafkaIsOneKRaftNodeWithAnInsideListenerForTheContainersAndAnOutsideOneForTheHost() {
        Service kafka = COMPOSE.services().get("kafka");
        KafkaBrokerEnv env = new KafkaBrokerEnv(kafka.environment());

        env.assertConsistentSingleNode(hostOf("kafka"));
        Endpoint inside = inside();
        assertThat(inside.host()).as("inside address: the service's name on the compose network")
                .isEqualTo(hostOf("kafka"));
        Map<String, Endpoint> outside = env.listeners("KAFKA_ADVERTISED_LISTENERS").entrySet().stream()
                .filter(e -> e.getValue().host().equals("localhost"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(outside).as("a listener advertised to the host").hasSize(1);
        Endpoint host = outside.values().iterator().next();
        assertThat(kafka.ports()).as("the outside listener is published on the same port")
                .contains(host.port() + ":" + env.listeners("KAFKA_LISTENERS").get(outside.keySet().iterator().next())
                        .port());
        assertThat(kafka.volumes()).as("a named volume for the log dir")
                .contains("kafka-data:" + env.get("KAFKA_LOG_DIRS"));
        assertThat(kafka.healthcheck().command()).as("the healthcheck asks the inside listener")
                .contains("--bootstrap-server " + inside);
    }

    @Test
    void kafkaUiIsPublishedOnPort8090AndReadsTheInsideListener() {
        Service ui = COMPOSE.services().get("kafka-ui");
        int containerPort = Integer.parseInt(ui.environment().getOrDefault("SERVER_PORT", "8080"));

        assertThat(ui.ports().stream().map(Published::parse)).contains(new Published(8090, containerPort));
        assertThat(ui.environment()).containsEntry("KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS", inside().toString());
        assertThat(ui.dependsOn()).containsKey("kafka");
    }

    @Test
    void theAppsBootstrapFromTheInsideListenerAndSetOnlySettingsTheyRead() {
        APPS.forEach((service, app) -> {
            Map<String, String> env = COMPOSE.services().get(service).environment();

            assertThat(env).as(service).containsEntry(App.envName("kafka.bootstrap.servers"), inside().toString());
            assertThat(app.unknownNames(env)).as("%s: environment variables %s does not read", service, app)
                    .isEmpty();
        });
        assertThat(COMPOSE.services().get("producer").environment())
                .containsEntry(App.envName("topics.partitions"), "3");
    }

    @Test
    void questDbKeepsItsTablesOnANamedVolumeAndPublishesItsConsoleAndItsPostgresWirePort() {
        Service questdb = COMPOSE.services().get("questdb");
        QuestDbEnv env = new QuestDbEnv(questdb.environment());

        env.assertOnlyPostgresAndHttpWithoutTelemetry();
        assertThat(questdb.volumes()).as("a named volume for QuestDB's root directory")
                .containsExactly("questdb-data:" + QuestDbEnv.DATA_DIR);
        assertThat(COMPOSE.volumes()).containsKey("questdb-data");
        assertThat(questdb.ports().stream().map(Published::parse)).as("the console and the PostgreSQL wire protocol")
                .containsExactlyInAnyOrder(new Published(9000, env.port("http.net.bind.to")),
                        new Published(8812, env.port("pg.net.bind.to")));
        assertThat(questdb.healthcheck().command()).as("the healthcheck asks QuestDB's minimal HTTP server")
                .contains("/dev/tcp/127.0.0.1/" + env.port("http.min.net.bind.to") + " ")
                .contains("GET /status ").contains("' 200 '");
    }

    @Test
    void theQueryAppStoresInQuestDbOverThePostgresWireProtocolWithQuestDbsAccount() {
        QuestDbEnv questdb = new QuestDbEnv(COMPOSE.services().get("questdb").environment());
        Map<String, String> env = COMPOSE.services().get("query-app").environment();

        int port = questdb.assertDatasourceOf(App.QUERY, env, hostOf("questdb"));
        assertThat(port).as("the container port: no Service in between").isEqualTo(questdb.port("pg.net.bind.to"));
    }

    @Test
    void twoConsumersEachWithItsOwnVolumeAtTheOutputDirectoryAndItsOwnInstanceId() {
        Dockerfile image = Dockerfile.parse(App.CONSUMER.dir.resolve("src/main/docker/Dockerfile.jvm"));
        Map<String, String> volumeOf = new HashMap<>();
        Map<String, String> instanceOf = new HashMap<>();
        for (String consumer : CONSUMERS) {
            Service service = COMPOSE.services().get(consumer);
            String outputDir = service.environment().get(App.envName("candles.output-dir"));
            String instanceId = service.environment().get(App.envName("candles.instance-id"));

            assertThat(image.all("VOLUME")).as("the image's volume").containsExactly(outputDir);
            assertThat(service.volumes()).as(consumer).hasSize(1);
            String[] volume = service.volumes().get(0).split(":");
            assertThat(volume[1]).as("%s mounts its volume where it writes", consumer).isEqualTo(outputDir);
            assertThat(COMPOSE.volumes()).as("named volume %s", volume[0]).containsKey(volume[0]);
            // group.instance.id: set, so a recreated container (new host name) keeps its partitions.
            assertThat(instanceId).as(consumer).matches("[A-Za-z0-9._-]+");
            volumeOf.put(consumer, volume[0]);
            instanceOf.put(consumer, instanceId);
        }
        assertThat(Set.copyOf(volumeOf.values())).as("two processes never append to the same files").hasSize(2);
        assertThat(Set.copyOf(instanceOf.values())).as("distinct instance ids").hasSize(2);
    }

    @Test
    void prometheusAndGrafanaRunOnlyInTheMonitoringProfileAndPrometheusScrapesEveryAppOnItsPort() throws Exception {
        COMPOSE.services().forEach((name, service) -> assertThat(service.profiles()).as(name)
                .isEqualTo(name.equals("prometheus") || name.equals("grafana") ? List.of("monitoring") : List.of()));
        com.fasterxml.jackson.databind.JsonNode prometheus = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(
                Repo.path("monitoring/prometheus.yml").toFile());
        com.fasterxml.jackson.databind.JsonNode job = prometheus.get("scrape_configs").get(0);
        assertThat(job.get("metrics_path").asText()).isEqualTo("/q/metrics");
        List<String> targets = new java.util.ArrayList<>();
        job.get("static_configs").forEach(group -> group.get("targets").forEach(t -> targets.add(t.asText())));
        List<String> expected = new java.util.ArrayList<>();
        APPS.forEach((service, app) -> expected.add(service + ":"
                + app.httpPort(COMPOSE.services().get(service).environment())));
        assertThat(targets).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(COMPOSE.services().get("prometheus").volumes())
                .contains("./monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
        assertThat(COMPOSE.services().get("grafana").volumes())
                .contains("./monitoring/grafana/dashboards:/var/lib/grafana/dashboards:ro");
    }

    @Test
    void dependenciesWaitForHealthchecksThatCallTheReadinessPathOnTheAppsPort() {
        COMPOSE.services().forEach((name, service) -> service.dependsOn().forEach((dependency, condition) -> {
            assertThat(condition.condition()).as("%s -> %s", name, dependency).isEqualTo("service_healthy");
            assertThat(COMPOSE.services().get(dependency).healthcheck()).as("healthcheck of %s", dependency)
                    .isNotNull();
        }));
        assertThat(COMPOSE.services().get("producer").dependsOn()).containsOnlyKeys("kafka");
        for (String consumer : CONSUMERS) {
            // The producer is ready once prices and candles exist with their 3 partitions.
            assertThat(COMPOSE.services().get(consumer).dependsOn()).containsOnlyKeys("kafka", "producer");
        }
        // Its readiness waits for QuestDB anyway; started with QuestDB up, it warms its cache at once.
        assertThat(COMPOSE.services().get("query-app").dependsOn()).containsOnlyKeys("kafka", "questdb");
        APPS.forEach((service, app) -> {
            String command = COMPOSE.services().get(service).healthcheck().command();
            int port = app.httpPort(COMPOSE.services().get(service).environment());

            assertThat(command).as(service).contains("/dev/tcp/127.0.0.1/" + port + " ")
                    .contains("GET " + app.healthPath("readiness") + " ").contains("' 200 '");
        });
    }

    @Test
    void quarkusModeSelectsTheDocumentedJvmOrNativeImages() {
        APPS.forEach((service, app) -> {
            String image = COMPOSE.services().get(service).image();

            assertThat(image).isEqualTo("candles/" + app.name + ":" + MODE);
            for (String mode : List.of("jvm", "native")) {
                assertThat(Images.documentedTags()).as("QUARKUS_MODE=%s", mode)
                        .contains(image.replace(MODE, mode));
            }
        });
    }

    @Test
    void onlyQuarkusModeIsInterpolatedEveryOtherDollarIsEscaped() {
        String text = Repo.read(Compose.PATH).replace(MODE, "");
        Matcher dollar = Pattern.compile("\\$\\$|\\$").matcher(text);
        while (dollar.find()) {
            assertThat(dollar.group()).as("unescaped $ at offset %d: Compose would substitute a variable",
                    dollar.start()).isEqualTo("$$");
        }
    }

    @Test
    void stopGracePeriodsOutlastTheShutdownDrainComputedFromTheSettings() {
        APPS.forEach((service, app) -> {
            Service definition = COMPOSE.services().get(service);
            ShutdownDrain drain = ShutdownDrain.of(app, definition.environment());

            assertThat(definition.stopGracePeriod()).as(service).isNotNull();
            assertThat(ShutdownDrain.duration(definition.stopGracePeriod()))
                    .as("%s stop_grace_period vs the drain:%s", service, drain.explain())
                    .isGreaterThanOrEqualTo(drain.total()).isGreaterThan(Duration.ofSeconds(10));
        });
    }

    private static String hostOf(String service) {
        String hostname = COMPOSE.services().get(service).hostname();
        return hostname == null ? service : hostname;
    }

    /** The inter-broker listener's advertised address: how the containers reach Kafka. */
    private static Endpoint inside() {
        KafkaBrokerEnv env = new KafkaBrokerEnv(COMPOSE.services().get("kafka").environment());
        return env.advertised(env.get("KAFKA_INTER_BROKER_LISTENER_NAME"));
    }
}
