package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.candles.consumer.IncomingChannels;
import io.candles.deploy.Images.Dockerfile;
import io.candles.deploy.KafkaBrokerEnv.Endpoint;
import io.candles.wire.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * Every manifest in k8s/, parsed strictly into the fabric8 Kubernetes model and cross-checked against the apps. Runs
 * for both builds that share the app part: {@code k8s} (Kafka as a StatefulSet) and {@code k8s/strimzi}.
 */
class KubernetesManifestsTest {

    static final Path K8S = Repo.path("k8s");
    static final String NAMESPACE = "candles";

    static Kustomize.Build build(String variant) {
        return Kustomize.build(Repo.path(variant));
    }

    @Test
    void theDisruptionBudgetSelectsTheConsumerPodsAndLeavesOneRunning() {
        Kustomize.Build build = build("k8s");
        StatefulSet consumers = build.one(StatefulSet.class, "consumer-app");
        PodDisruptionBudget budget = build.one(PodDisruptionBudget.class, "consumer-app");
        assertThat(budget.getSpec().getSelector().getMatchLabels())
                .isEqualTo(consumers.getSpec().getSelector().getMatchLabels());
        assertThat(consumers.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1)
                .isLessThan(consumers.getSpec().getReplicas());
    }

    @Test
    void everyAppPodIsScrapedByPrometheusOnItsOwnHttpPort() {
        Kustomize.Build build = build("k8s");
        for (var workload : List.of(build.one(Deployment.class, "producer-app").getSpec().getTemplate(),
                build.one(StatefulSet.class, "consumer-app").getSpec().getTemplate(),
                build.one(Deployment.class, "query-app").getSpec().getTemplate())) {
            Map<String, String> annotations = workload.getMetadata().getAnnotations();
            int port = workload.getSpec().getContainers().get(0).getPorts().get(0).getContainerPort();
            assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("prometheus.io/path", "/q/metrics")
                    .containsEntry("prometheus.io/port", String.valueOf(port));
        }
    }

    @Test
    void everyYamlFileUnderK8sParsesStrictly() {
        List<Path> files = Kustomize.yamlFiles(K8S).toList();

        assertThat(files).hasSizeGreaterThan(10);
        for (Path file : files) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                Kustomize.kustomization(file.getParent());
            } else {
                assertThat(Kustomize.parse(file)).as(Repo.relative(file)).isNotEmpty();
            }
        }
    }

    @Test
    void everyKustomizationListsExactlyTheManifestsBesideItAndTheyAllUseOneNamespace() {
        Set<Path> dirs = Kustomize.yamlFiles(K8S).map(Path::getParent).collect(Collectors.toCollection(TreeSet::new));
        for (Path dir : dirs) {
            Kustomize.Kustomization kustomization = Kustomize.kustomization(dir);
            Set<String> beside = Repo.files(dir).filter(file -> file.getParent().equals(dir))
                    .map(file -> file.getFileName().toString())
                    .filter(name -> name.matches(".*\\.ya?ml") && !name.equals("kustomization.yaml"))
                    .collect(Collectors.toSet());
            Set<String> listed = new HashSet<>();
            kustomization.resources().stream().filter(entry -> Files.isRegularFile(dir.resolve(entry)))
                    .forEach(listed::add);
            kustomization.patches().forEach(patch -> listed.add(patch.path()));

            assertThat(listed).as("files listed by %s", Repo.relative(dir.resolve("kustomization.yaml")))
                    .containsExactlyInAnyOrderElementsOf(beside);
            assertThat(kustomization.namespace()).as(Repo.relative(dir)).isEqualTo(NAMESPACE);
        }
        for (String variant : List.of("k8s", "k8s/strimzi")) {
            Kustomize.Build build = build(variant);
            assertThat(build.one(Namespace.class, NAMESPACE).getMetadata().getLabels())
                    .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
            assertThat(build.resources()).as(variant).allMatch(r -> r.resource().getMetadata().getNamespace() == null
                    || r.resource().getMetadata().getNamespace().equals(NAMESPACE));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "k8s", "k8s/strimzi" })
    void consumersAreAStatefulSetOfTwoWithThePodNameAsInstanceIdAndAVolumeAtTheOutputDirectory(String variant) {
        Kustomize.Build build = build(variant);
        StatefulSet consumers = build.one(StatefulSet.class, "consumer-app");
        PodTemplateSpec template = consumers.getSpec().getTemplate();
        Container container = Pods.container(template, "consumer-app");
        Map<String, String> env = Pods.environment(build, container);

        assertThat(consumers.getSpec().getReplicas()).isEqualTo(2);
        assertThat(consumers.getSpec().getPodManagementPolicy()).as("both start, neither waits for the other")
                .isEqualTo("Parallel");
        assertThat(template.getMetadata().getLabels())
                .containsAllEntriesOf(consumers.getSpec().getSelector().getMatchLabels());
        // group.instance.id must be stable per pod and use only [A-Za-z0-9._-]: the pod names consumer-app-<n>.
        assertThat(env).containsEntry("CANDLES_INSTANCE_ID", "$(fieldRef:metadata.name)");
        for (int ordinal = 0; ordinal < consumers.getSpec().getReplicas(); ordinal++) {
            assertThat(consumers.getMetadata().getName() + "-" + ordinal).matches("[A-Za-z0-9._-]+");
        }

        Service governing = build.one(Service.class, consumers.getSpec().getServiceName());
        assertThat(governing.getSpec().getClusterIP()).as("governing Service is headless").isEqualTo("None");
        assertThat(template.getMetadata().getLabels()).containsAllEntriesOf(governing.getSpec().getSelector());

        String outputDir = env.get(App.envName("candles.output-dir"));
        List<PersistentVolumeClaim> claims = consumers.getSpec().getVolumeClaimTemplates();
        assertThat(claims).hasSize(1);
        assertThat(claims.get(0).getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(m -> m.getName().equals(claims.get(0).getMetadata().getName())).findFirst().orElseThrow();
        assertThat(mount.getMountPath()).as("the claim is mounted where the app writes").isEqualTo(outputDir);
        Dockerfile image = Dockerfile.parse(App.CONSUMER.dir.resolve("src/main/docker/Dockerfile.native"));
        assertThat(image.all("VOLUME")).as("the image's volume").containsExactly(outputDir);
        assertThat(template.getSpec().getSecurityContext().getFsGroup()).as("volume writable for the image's uid")
                .isEqualTo((long) image.user());
        assertThat(consumers.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled()).isEqualTo("Retain");
        assertThat(consumers.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted())
                .isEqualTo("Retain");
    }

    @ParameterizedTest
    @ValueSource(strings = { "k8s", "k8s/strimzi" })
    void theProducerAndTheQueryAppAreOneDeploymentEachThatNeverRunsTwice(String variant) {
        // The producer resumes simulated time after the newest price; query-app keeps the first candle of each window
        // by marks in its memory. Two of either, even briefly during an update, would interleave or both write.
        for (App app : List.of(App.PRODUCER, App.QUERY)) {
            Deployment deployment = build(variant).one(Deployment.class, app.name);

            assertThat(deployment.getSpec().getReplicas()).as(app.name).isEqualTo(1);
            assertThat(deployment.getSpec().getStrategy().getType()).as(app.name).isEqualTo("Recreate");
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "k8s", "k8s/strimzi" })
    void probesCallTheHealthPathsOnThePortTheAppServes(String variant) {
        Kustomize.Build build = build(variant);
        for (App app : App.ALL) {
            Container container = Pods.container(Pods.templates(build).get(app.name), app.name);
            int port = app.httpPort(Pods.environment(build, container));

            assertThat(container.getPorts()).as(app.name)
                    .anyMatch(p -> p.getContainerPort() == port && "http".equals(p.getName()));
            assertProbe(container, container.getLivenessProbe(), app.healthPath("liveness"), port);
            assertProbe(container, container.getReadinessProbe(), app.healthPath("readiness"), port);
            assertProbe(container, container.getStartupProbe(), app.healthPath("liveness"), port);
        }
        // The consumers' governing Service and query-app's, for the page and the API.
        for (App app : List.of(App.CONSUMER, App.QUERY)) {
            PodTemplateSpec template = Pods.templates(build).get(app.name);
            Container container = Pods.container(template, app.name);
            Service service = build.one(Service.class, app.name);

            assertThat(template.getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
            for (ServicePort servicePort : service.getSpec().getPorts()) {
                assertThat(Pods.port(container, servicePort.getTargetPort())).as("Service %s", app.name)
                        .isEqualTo(app.httpPort(Pods.environment(build, container)));
            }
        }
    }

    private static void assertProbe(Container container, Probe probe, String path, int port) {
        assertThat(probe).as("probe of %s", container.getName()).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(container.getName()).isEqualTo(path);
        assertThat(Pods.port(container, probe.getHttpGet().getPort())).as(container.getName()).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(strings = { "k8s", "k8s/strimzi" })
    void gracePeriodsOutlastTheShutdownDrainComputedFromTheSettings(String variant) {
        Kustomize.Build build = build(variant);
        for (App app : App.ALL) {
            PodTemplateSpec template = Pods.templates(build).get(app.name);
            ShutdownDrain drain = ShutdownDrain.of(app, Pods.environment(build, Pods.container(template, app.name)));

            assertThat(Duration.ofSeconds(template.getSpec().getTerminationGracePeriodSeconds()))
                    .as("%s terminationGracePeriodSeconds vs the drain:%s", app.name, drain.explain())
                    .isGreaterThanOrEqualTo(drain.total());
        }

        // The arithmetic written in consumer-statefulset.yaml, query-deployment.yaml and docs/deployment.md: the
        // consumer's 4 channels, 2 with a dead-letter queue, then the candles and the marks producers; query-app's one
        // channel.
        assertThat(App.CONSUMER.kafkaChannels("incoming")).containsExactlyInAnyOrderElementsOf(IncomingChannels.all());
        ShutdownDrain consumer = ShutdownDrain.of(App.CONSUMER, Pods.environment(build,
                Pods.container(Pods.templates(build).get("consumer-app"), "consumer-app")));
        assertThat(consumer.total()).as(consumer.explain()).isEqualTo(Duration.ofSeconds(110));
        ShutdownDrain query = ShutdownDrain.of(App.QUERY, Pods.environment(build,
                Pods.container(Pods.templates(build).get("query-app"), "query-app")));
        assertThat(query.total()).as(query.explain()).isEqualTo(Duration.ofSeconds(9));
    }

    @ParameterizedTest
    @ValueSource(strings = { "k8s", "k8s/strimzi" })
    void everyEnvironmentVariableOfAnAppIsASettingItReads(String variant) {
        Kustomize.Build build = build(variant);
        for (App app : App.ALL) {
            Map<String, String> env = Pods.environment(build,
                    Pods.container(Pods.templates(build).get(app.name), app.name));

            assertThat(app.unknownNames(env)).as("%s: environment variables %s does not read", variant, app)
                    .isEmpty();
            assertThat(env).containsKey(App.envName("kafka.bootstrap.servers"));
        }
        Map<String, String> producer = Pods.environment(build,
                Pods.container(Pods.templates(build).get("producer-app"), "producer-app"));
        assertThat(producer).as("partitions if the producer creates the topics")
                .containsEntry(App.envName("topics.partitions"), "3");
    }

    @ParameterizedTest
    @ValueSource(strings = { "k8s", "k8s/strimzi" })
    void theAppsRunTheNativeImagesTheDocumentedBuildsProduce(String variant) {
        Map<String, PodTemplateSpec> templates = Pods.templates(build(variant));
        for (App app : App.ALL) {
            Container container = Pods.container(templates.get(app.name), app.name);

            assertThat(container.getImage()).isEqualTo("candles/" + app.name + ":native");
            assertThat(Images.documentedTags()).contains(container.getImage());
            assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "k8s", "k8s/strimzi" })
    void resourcesAreSizedForTheNativeImages(String variant) {
        Map<String, PodTemplateSpec> templates = Pods.templates(build(variant));
        for (App app : App.ALL) {
            Container container = Pods.container(templates.get(app.name), app.name);
            Map<String, Quantity> requests = container.getResources().getRequests();
            Map<String, Quantity> limits = container.getResources().getLimits();

            assertThat(requests).as(app.name).containsKeys("cpu", "memory");
            assertThat(limits).as(app.name).containsKey("memory");
            long request = Quantity.getAmountInBytes(requests.get("memory")).longValueExact();
            long limit = Quantity.getAmountInBytes(limits.get("memory")).longValueExact();
            assertThat(request).as(app.name).isPositive().isLessThanOrEqualTo(limit);
            // A native executable with its Kafka clients fits well within 256Mi; a JVM would need about twice that.
            assertThat(limit).as(app.name).isLessThanOrEqualTo(256L * 1024 * 1024);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "k8s", "k8s/strimzi" })
    void everyPodMeetsTheRestrictedPodSecurityStandardAndGetsNoServiceLinks(String variant) {
        Pods.templates(build(variant)).forEach((owner, template) -> {
            PodSecurityContext pod = template.getSpec().getSecurityContext();
            assertThat(pod).as(owner).isNotNull();
            assertThat(pod.getRunAsNonRoot()).as(owner).isTrue();
            assertThat(pod.getSeccompProfile().getType()).as(owner).isEqualTo("RuntimeDefault");
            // Service links add KAFKA_PORT, KAFKA_SERVICE_HOST, ... for the Service "kafka": the apps would hand them
            // to their Kafka clients, the Kafka image would write them into server.properties.
            assertThat(template.getSpec().getEnableServiceLinks()).as(owner).isFalse();
            for (Container container : template.getSpec().getContainers()) {
                SecurityContext security = container.getSecurityContext();
                assertThat(security.getAllowPrivilegeEscalation()).as(container.getName()).isFalse();
                assertThat(security.getCapabilities().getDrop()).as(container.getName()).containsExactly("ALL");
                if (container.getImage().startsWith("apache/kafka")) {
                    // Its USER is a name (appuser); runAsNonRoot can only check a number.
                    assertThat(pod.getRunAsUser()).as(owner).isEqualTo(1000L);
                }
                if (container.getImage().startsWith(QuestDbEnv.IMAGE + ":")) {
                    // The image starts as root (its entrypoint drops to its user questdb): runAsNonRoot would refuse
                    // it without a uid of its own.
                    assertThat(pod.getRunAsUser()).as(owner).isNotNull().isNotZero();
                }
            }
        });
    }

    @Test
    void theAppsBootstrapFromTheServiceOfTheSingleKafkaNode() {
        Kustomize.Build build = build("k8s");
        StatefulSet kafka = build.one(StatefulSet.class, "kafka");
        Container broker = Pods.container(kafka.getSpec().getTemplate(), "kafka");
        KafkaBrokerEnv brokerEnv = new KafkaBrokerEnv(Pods.environment(build, broker));
        String interBroker = brokerEnv.get("KAFKA_INTER_BROKER_LISTENER_NAME");
        Endpoint listener = brokerEnv.listeners("KAFKA_LISTENERS").get(interBroker);

        for (App app : App.ALL) {
            Map<String, String> env = Pods.environment(build,
                    Pods.container(Pods.templates(build).get(app.name), app.name));
            Endpoint bootstrap = Endpoint.parse(env.get(App.envName("kafka.bootstrap.servers")));
            Service service = build.one(Service.class, bootstrap.host());

            assertThat(kafka.getSpec().getTemplate().getMetadata().getLabels())
                    .as("Service %s selects the Kafka pod", bootstrap.host())
                    .containsAllEntriesOf(service.getSpec().getSelector());
            ServicePort port = service.getSpec().getPorts().stream().filter(p -> p.getPort() == bootstrap.port())
                    .findFirst().orElseThrow(() -> new AssertionError("Service port " + bootstrap));
            assertThat(Pods.port(broker, port.getTargetPort())).as("%s reaches the %s listener", bootstrap, interBroker)
                    .isEqualTo(listener.port());
        }
    }

    @Test
    void kafkaIsOneConsistentKRaftNodeThatAdvertisesItsStablePodAddress() {
        Kustomize.Build build = build("k8s");
        StatefulSet kafka = build.one(StatefulSet.class, "kafka");
        Container broker = Pods.container(kafka.getSpec().getTemplate(), "kafka");
        KafkaBrokerEnv env = new KafkaBrokerEnv(Pods.environment(build, broker));
        Service headless = build.one(Service.class, kafka.getSpec().getServiceName());
        String podAddress = kafka.getMetadata().getName() + "-0." + headless.getMetadata().getName();

        assertThat(kafka.getSpec().getReplicas()).isEqualTo(1);
        assertThat(broker.getImage()).isEqualTo("apache/kafka:" + kafkaVersion());
        env.assertConsistentSingleNode(podAddress);
        assertThat(env.advertised(env.get("KAFKA_INTER_BROKER_LISTENER_NAME")).host()).isEqualTo(podAddress);
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        // The controller resolves its own address before the pod is Ready.
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(kafka.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(headless.getSpec().getSelector());

        VolumeMount data = broker.getVolumeMounts().get(0);
        assertThat(kafka.getSpec().getVolumeClaimTemplates()).extracting(c -> c.getMetadata().getName())
                .containsExactly(data.getName());
        assertThat(env.get("KAFKA_LOG_DIRS")).as("log dir on the volume, below its root (lost+found)")
                .startsWith(data.getMountPath() + "/");
        long heap = Long.parseLong(env.get("KAFKA_HEAP_OPTS").replaceAll(".*-Xmx(\\d+)m.*", "$1")) * 1024 * 1024;
        assertThat(Quantity.getAmountInBytes(broker.getResources().getLimits().get("memory")).longValueExact())
                .as("memory limit above the heap").isGreaterThan(heap);
    }

    @ParameterizedTest
    @ValueSource(strings = { "k8s", "k8s/strimzi" })
    void questDbIsOneStatefulSetOfTheBuildsVersionWithItsTablesOnAVolume(String variant) {
        Kustomize.Build build = build(variant);
        StatefulSet questdb = build.one(StatefulSet.class, "questdb");
        PodTemplateSpec template = questdb.getSpec().getTemplate();
        Container container = Pods.container(template, "questdb");
        QuestDbEnv env = new QuestDbEnv(Pods.environment(build, container));

        assertThat(questdb.getSpec().getReplicas()).isEqualTo(1);
        assertThat(container.getImage()).isEqualTo(QuestDbEnv.image());
        assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
        env.assertOnlyPostgresAndHttpWithoutTelemetry();

        Service governing = build.one(Service.class, questdb.getSpec().getServiceName());
        assertThat(governing.getSpec().getClusterIP()).as("governing Service is headless").isEqualTo("None");
        assertThat(template.getMetadata().getLabels()).containsAllEntriesOf(governing.getSpec().getSelector())
                .containsAllEntriesOf(questdb.getSpec().getSelector().getMatchLabels());

        List<PersistentVolumeClaim> claims = questdb.getSpec().getVolumeClaimTemplates();
        assertThat(claims).hasSize(1);
        assertThat(claims.get(0).getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(claims.get(0).getSpec().getResources().getRequests()).containsKey("storage");
        assertThat(container.getVolumeMounts()).as("the claim is QuestDB's root directory")
                .anyMatch(m -> m.getName().equals(claims.get(0).getMetadata().getName())
                        && m.getMountPath().equals(QuestDbEnv.DATA_DIR));
        PodSecurityContext pod = template.getSpec().getSecurityContext();
        assertThat(pod.getFsGroup()).as("the volume writable for the group QuestDB runs as").isNotNull()
                .isEqualTo(pod.getRunAsGroup());

        // Probes and ports on the ports QuestDB listens on: liveness on the minimal HTTP server's health answer,
        // readiness on the PostgreSQL wire port the app connects to.
        int health = env.port("http.min.net.bind.to");
        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe())) {
            assertThat(probe.getHttpGet().getPath()).isEqualTo("/status");
            assertThat(Pods.port(container, probe.getHttpGet().getPort())).isEqualTo(health);
        }
        assertThat(Pods.port(container, container.getReadinessProbe().getTcpSocket().getPort()))
                .isEqualTo(env.port("pg.net.bind.to"));
        for (ServicePort servicePort : governing.getSpec().getPorts()) {
            assertThat(Pods.port(container, servicePort.getTargetPort())).as("Service port %s", servicePort.getName())
                    .isIn(env.port("pg.net.bind.to"), env.port("http.net.bind.to"));
        }
        assertThat(container.getResources().getLimits()).containsKey("memory");
    }

    @ParameterizedTest
    @ValueSource(strings = { "k8s", "k8s/strimzi" })
    void theQueryAppStoresInQuestDbThroughItsServiceWithQuestDbsAccount(String variant) {
        Kustomize.Build build = build(variant);
        StatefulSet questdb = build.one(StatefulSet.class, "questdb");
        Container server = Pods.container(questdb.getSpec().getTemplate(), "questdb");
        QuestDbEnv questDbEnv = new QuestDbEnv(Pods.environment(build, server));
        Map<String, String> env = Pods.environment(build,
                Pods.container(Pods.templates(build).get(App.QUERY.name), App.QUERY.name));
        String host = QuestDbEnv.JdbcUrl.parse(App.QUERY.effective("quarkus.datasource.jdbc.url", env).orElseThrow())
                .host();
        Service service = build.one(Service.class, host);

        int port = questDbEnv.assertDatasourceOf(App.QUERY, env, service.getMetadata().getName());
        assertThat(questdb.getSpec().getTemplate().getMetadata().getLabels())
                .as("Service %s selects the QuestDB pod", host).containsAllEntriesOf(service.getSpec().getSelector());
        ServicePort servicePort = service.getSpec().getPorts().stream().filter(p -> p.getPort() == port).findFirst()
                .orElseThrow(() -> new AssertionError("Service port " + host + ":" + port));
        assertThat(Pods.port(server, servicePort.getTargetPort())).as("%s:%d reaches the PostgreSQL wire port", host,
                port).isEqualTo(questDbEnv.port("pg.net.bind.to"));
    }

    @Test
    void theTopicsJobCreatesEveryTopicOfTheAppsWithThreePartitions() {
        Kustomize.Build build = build("k8s");
        Job job = build.one(Job.class, "kafka-topics");
        Container container = Pods.container(job.getSpec().getTemplate(), "kafka-topics");
        Map<String, String> env = Pods.environment(build, container);
        String script = String.join("\n", container.getCommand()) + "\n" + String.join("\n", container.getArgs());

        assertThat(List.of(env.get("TOPICS").split("\\s+")))
                .containsExactlyInAnyOrder(Topics.PRICES, Topics.CANDLES, Topics.DEAD_LETTER);
        assertThat(env).containsEntry("PARTITIONS", "3").containsEntry("REPLICATION_FACTOR", "1");
        assertThat(script).contains("for topic in $TOPICS", "--create --if-not-exists", "--topic \"$topic\"",
                "--partitions \"$PARTITIONS\"", "--replication-factor \"$REPLICATION_FACTOR\"",
                "--bootstrap-server \"$KAFKA_BOOTSTRAP_SERVERS\"");
        assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).as("the apps' bootstrap address")
                .isEqualTo(Pods.environment(build, Pods.container(Pods.templates(build).get("producer-app"),
                        "producer-app")).get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(container.getImage()).isEqualTo("apache/kafka:" + kafkaVersion());
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("OnFailure");
    }

    /** The Kafka version of the build: the clients the apps use, and the broker of local-kafka. */
    static String kafkaVersion() {
        String pom = Repo.read("pom.xml");
        return pom.replaceAll("(?s).*<kafka\\.version>([^<]+)</kafka\\.version>.*", "$1");
    }
}
