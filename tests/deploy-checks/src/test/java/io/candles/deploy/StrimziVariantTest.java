package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.candles.deploy.KafkaBrokerEnv.Endpoint;
import io.candles.wire.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * The Strimzi variant (k8s/strimzi): the app part of k8s/ with Kafka run by the Strimzi operator. fabric8's model has
 * no Strimzi types, so the resources are read generically and every field is checked against the
 * {@code kafka.strimzi.io/v1} fields these files may use: a misspelled one fails here rather than in the operator.
 */
class StrimziVariantTest {

    private static final Kustomize.Build STRIMZI = KubernetesManifestsTest.build("k8s/strimzi");

    /** The v1 fields these resources may use, by path ("*" = any key, e.g. broker settings). */
    private static final Map<String, Set<String>> FIELDS = Map.ofEntries(
            Map.entry("", Set.of("apiVersion", "kind", "metadata", "spec")),
            Map.entry("metadata", Set.of("name", "labels", "annotations")),
            Map.entry("metadata.labels", Set.of("*")),
            Map.entry("metadata.annotations", Set.of("*")),
            Map.entry("Kafka.spec", Set.of("kafka", "entityOperator", "cruiseControl", "kafkaExporter")),
            Map.entry("Kafka.spec.kafka", Set.of("version", "metadataVersion", "listeners", "config",
                    "authorization", "rack", "logging", "metricsConfig", "template")),
            Map.entry("Kafka.spec.kafka.listeners[]", Set.of("name", "port", "type", "tls", "authentication",
                    "configuration", "networkPolicyPeers")),
            Map.entry("Kafka.spec.kafka.config", Set.of("*")),
            Map.entry("Kafka.spec.entityOperator", Set.of("topicOperator", "userOperator", "template")),
            Map.entry("Kafka.spec.entityOperator.topicOperator", Set.of("watchedNamespace", "resources",
                    "reconciliationIntervalMs", "logging", "jvmOptions")),
            Map.entry("KafkaNodePool.spec", Set.of("replicas", "roles", "storage", "resources", "jvmOptions",
                    "template")),
            Map.entry("KafkaNodePool.spec.storage", Set.of("type", "volumes", "size", "class", "deleteClaim",
                    "kraftMetadata", "selector")),
            Map.entry("KafkaNodePool.spec.storage.volumes[]", Set.of("id", "type", "size", "class", "deleteClaim",
                    "kraftMetadata", "selector")),
            Map.entry("KafkaNodePool.spec.resources", Set.of("requests", "limits")),
            Map.entry("KafkaNodePool.spec.resources.requests", Set.of("cpu", "memory")),
            Map.entry("KafkaNodePool.spec.resources.limits", Set.of("cpu", "memory")),
            Map.entry("KafkaTopic.spec", Set.of("topicName", "partitions", "replicas", "config")),
            Map.entry("KafkaTopic.spec.config", Set.of("*")));

    /** Broker settings Strimzi manages itself and rejects in spec.kafka.config (prefixes). */
    private static final List<String> FORBIDDEN_CONFIG = List.of("listeners", "advertised.", "broker.", "listener.",
            "host.name", "port", "inter.broker.listener.name", "sasl.", "ssl.", "security.", "password.", "log.dir",
            "zookeeper.", "authorizer.", "super.user", "node.id", "process.roles", "controller.", "metadata.log.dir");

    @Test
    void everyStrimziResourceUsesTheV1ApiAndOnlyFieldsItDefines() {
        List<GenericKubernetesResource> resources = STRIMZI.all(GenericKubernetesResource.class);

        assertThat(resources.stream().map(GenericKubernetesResource::getKind).distinct())
                .containsExactlyInAnyOrder("Kafka", "KafkaNodePool", "KafkaTopic");
        for (GenericKubernetesResource resource : resources) {
            assertThat(resource.getApiVersion()).isEqualTo("kafka.strimzi.io/v1");
            assertOnlyKnownFields(resource.getKind(), tree(resource), "");
        }
        JsonNode config = tree(kafka()).path("spec").path("kafka").path("config");
        config.fieldNames().forEachRemaining(key -> assertThat(FORBIDDEN_CONFIG)
                .as("spec.kafka.config.%s is managed by Strimzi", key).noneMatch(key::startsWith));
    }

    @Test
    void oneDualRoleKRaftNodeRunsTheKafkaVersionOfTheClients() {
        JsonNode kafka = tree(kafka());
        List<GenericKubernetesResource> pools = STRIMZI.strimzi("KafkaNodePool");

        assertThat(pools).hasSize(1);
        JsonNode pool = tree(pools.get(0));
        assertThat(pool.path("metadata").path("labels").path("strimzi.io/cluster").asText())
                .isEqualTo(kafka().getMetadata().getName());
        assertThat(pool.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(texts(pool.path("spec").path("roles"))).containsExactlyInAnyOrder("controller", "broker");
        JsonNode volumes = pool.path("spec").path("storage").path("volumes");
        assertThat(pool.path("spec").path("storage").path("type").asText()).isEqualTo("jbod");
        assertThat(volumes).hasSize(1);
        assertThat(volumes.get(0).path("type").asText()).isEqualTo("persistent-claim");
        assertThat(volumes.get(0).path("kraftMetadata").asText()).as("the KRaft metadata log on this volume")
                .isEqualTo("shared");
        assertThat(volumes.get(0).path("deleteClaim").asBoolean(true)).isFalse();

        String version = KubernetesManifestsTest.kafkaVersion();
        assertThat(kafka.path("spec").path("kafka").path("version").asText()).isEqualTo(version);
        assertThat(kafka.path("spec").path("kafka").path("metadataVersion").asText())
                .startsWith(version.replaceAll("^(\\d+\\.\\d+).*", "$1") + "-IV");
        JsonNode config = kafka.path("spec").path("kafka").path("config");
        for (String setting : List.of("offsets.topic.replication.factor", "transaction.state.log.replication.factor",
                "transaction.state.log.min.isr", "default.replication.factor", "min.insync.replicas")) {
            assertThat(config.path(setting).asInt()).as("%s on one node", setting).isEqualTo(1);
        }
        assertThat(config.path("num.partitions").asInt()).isEqualTo(3);
        assertThat(kafka.path("spec").path("entityOperator").has("topicOperator"))
                .as("the Topic Operator creates the KafkaTopics").isTrue();
    }

    @Test
    void theTopicsAreTheAppsTopicsWithThreePartitionsEach() {
        List<GenericKubernetesResource> topics = STRIMZI.strimzi("KafkaTopic");

        assertThat(topics.stream().map(topic -> tree(topic).path("spec").path("topicName")
                .asText(topic.getMetadata().getName())))
                .containsExactlyInAnyOrder(Topics.PRICES, Topics.CANDLES, Topics.DEAD_LETTER);
        for (GenericKubernetesResource topic : topics) {
            JsonNode tree = tree(topic);
            assertThat(tree.path("spec").path("partitions").asInt()).as(topic.getMetadata().getName()).isEqualTo(3);
            assertThat(tree.path("spec").path("replicas").asInt()).as(topic.getMetadata().getName()).isEqualTo(1);
            assertThat(tree.path("metadata").path("labels").path("strimzi.io/cluster").asText())
                    .isEqualTo(kafka().getMetadata().getName());
        }
    }

    @Test
    void theAppsBootstrapFromTheClustersBootstrapServiceOnThePlainListener() {
        JsonNode listeners = tree(kafka()).path("spec").path("kafka").path("listeners");
        List<JsonNode> plain = new ArrayList<>();
        listeners.forEach(listener -> {
            assertThat(listener.path("name").asText()).matches("[a-z0-9]{1,11}");
            if (listener.path("type").asText().equals("internal") && !listener.path("tls").asBoolean(true)) {
                plain.add(listener);
            }
        });
        Endpoint bootstrap = Endpoint.parse(STRIMZI.one(ConfigMap.class, "kafka-client").getData()
                .get(App.envName("kafka.bootstrap.servers")));

        assertThat(plain).as("an internal listener without TLS").hasSize(1);
        // Strimzi names the Service <cluster>-kafka-bootstrap.
        assertThat(bootstrap).isEqualTo(new Endpoint(kafka().getMetadata().getName() + "-kafka-bootstrap",
                plain.get(0).path("port").asInt()));
        // Every app gets it through the patched ConfigMap: none sets a bootstrap address of its own.
        for (App app : App.ALL) {
            Map<String, String> env = Pods.environment(STRIMZI,
                    Pods.container(Pods.templates(STRIMZI).get(app.name), app.name));
            assertThat(env.get(App.envName("kafka.bootstrap.servers"))).as(app.name).isEqualTo(bootstrap.toString());
        }
    }

    @Test
    void theVariantSwapsTheKafkaPartAndKeepsTheAppAndQuestDbParts() {
        Kustomize.Build defaults = KubernetesManifestsTest.build("k8s");
        Set<String> kept = new HashSet<>();
        for (String part : List.of("k8s/app", "k8s/questdb")) {
            Kustomize.build(Repo.path(part)).resources().forEach(r -> kept.add(r.kind() + "/" + r.name()));
        }
        Set<String> strimzi = STRIMZI.resources().stream().filter(r -> !Kustomize.STRIMZI_KINDS.contains(r.kind()))
                .map(r -> r.kind() + "/" + r.name()).collect(Collectors.toSet());

        assertThat(STRIMZI.kustomization().resources()).contains("../app", "../questdb").doesNotContain("../kafka");
        assertThat(strimzi).isEqualTo(kept);
        assertThat(defaults.find(StatefulSet.class, "kafka")).isPresent();
        assertThat(STRIMZI.find(StatefulSet.class, "kafka")).isEmpty();
        assertThat(STRIMZI.all(Job.class)).isEmpty();
        assertThat(STRIMZI.strimzi("Kafka")).hasSize(1);
    }

    private static GenericKubernetesResource kafka() {
        List<GenericKubernetesResource> clusters = STRIMZI.strimzi("Kafka");
        assertThat(clusters).hasSize(1);
        return clusters.get(0);
    }

    private static JsonNode tree(GenericKubernetesResource resource) {
        return StrictYaml.KUBERNETES.valueToTree(resource);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    /** Every field of {@code node} must be listed in {@link #FIELDS} for its path; objects below are checked too. */
    private static void assertOnlyKnownFields(String kind, JsonNode node, String path) {
        String key = path.isEmpty() || path.startsWith("metadata") ? path : kind + "." + path;
        Set<String> allowed = FIELDS.get(key);
        if (allowed == null || allowed.contains("*")) {
            assertThat(allowed).as("%s: %s is not a field these resources use", kind, path).isNotNull();
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            assertThat(allowed).as("%s: unknown field %s", kind, child).contains(field.getKey());
            if (field.getValue().isObject()) {
                if (FIELDS.containsKey(kind + "." + child) || FIELDS.containsKey(child)) {
                    assertOnlyKnownFields(kind, field.getValue(), child);
                }
            } else if (field.getValue().isArray()) {
                for (JsonNode item : field.getValue()) {
                    if (item.isObject()) {
                        assertOnlyKnownFields(kind, item, child + "[]");
                    }
                }
            }
        }
    }
}
