package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.candles.consumer.stage.Stage;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/**
 * The optional Kustomize components of {@code k8s/components}: KEDA's ScaledObject scales the consumer StatefulSet on
 * its own 1m stage's consumer group, never beyond the partitions; the PodMonitor scrapes the apps' HTTP port.
 */
class OptionalComponentsTest {

    private static final Kustomize.Build K8S = Kustomize.build(Repo.path("k8s"));

    @Test
    @SuppressWarnings("unchecked")
    void theScaledObjectScalesTheConsumerStatefulSetOnThe1mStagesLagUpToThePartitionCount() {
        GenericKubernetesResource scaled = only(Kustomize.build(Repo.path("k8s/components/keda")), "ScaledObject");
        Map<String, Object> spec = (Map<String, Object>) scaled.getAdditionalProperties().get("spec");
        Map<String, Object> target = (Map<String, Object>) spec.get("scaleTargetRef");
        StatefulSet consumers = K8S.one(StatefulSet.class, "consumer-app");
        assertThat(target).containsEntry("apiVersion", "apps/v1").containsEntry("kind", "StatefulSet")
                .containsEntry("name", consumers.getMetadata().getName());

        int partitions = Integer.parseInt(K8S.one(ConfigMap.class, "producer-app").getData()
                .get(App.envName("topics.partitions")));
        assertThat((Integer) spec.get("minReplicaCount")).isEqualTo(consumers.getSpec().getReplicas());
        assertThat((Integer) spec.get("maxReplicaCount")).as("a pod beyond the partitions would own nothing")
                .isBetween(consumers.getSpec().getReplicas(), partitions);

        List<Map<String, Object>> triggers = (List<Map<String, Object>>) spec.get("triggers");
        assertThat(triggers).hasSize(1);
        assertThat(triggers.get(0)).containsEntry("type", "kafka");
        Map<String, Object> kafka = (Map<String, Object>) triggers.get(0).get("metadata");
        // The 1m stage as the code defines it, and as application.properties configures its channel.
        Stage oneMinute = Stage.ONE_MINUTE;
        assertThat(kafka.get("consumerGroup")).isEqualTo(oneMinute.channel()).isEqualTo(App.CONSUMER
                .channelAttribute("incoming", oneMinute.channel(), "group.id", Map.of()).orElseThrow());
        assertThat(kafka.get("topic")).isEqualTo(oneMinute.inputTopic()).isEqualTo(App.CONSUMER
                .channelAttribute("incoming", oneMinute.channel(), "topic", Map.of()).orElseThrow());
        // Read from the consumers' environment, which the Strimzi variant patches: no second bootstrap address.
        assertThat(kafka.get("bootstrapServersFromEnv")).isEqualTo(App.envName("kafka.bootstrap.servers"));
        assertThat(K8S.one(ConfigMap.class, "kafka-client").getData()).containsKey("KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePodMonitorScrapesTheMetricsPathOnTheAppsHttpPort() {
        GenericKubernetesResource monitor = only(Kustomize.build(Repo.path("k8s/components/pod-monitor")),
                "PodMonitor");
        Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
        Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("podMetricsEndpoints")).get(0);
        assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/q/metrics");
        Map<String, Object> selector = (Map<String, Object>) spec.get("selector");
        Map<String, Object> expression = ((List<Map<String, Object>>) selector.get("matchExpressions")).get(0);
        assertThat((List<String>) expression.get("values"))
                .containsExactlyInAnyOrder("producer-app", "consumer-app", "query-app");
    }

    private static GenericKubernetesResource only(Kustomize.Build build, String kind) {
        List<GenericKubernetesResource> found = build.all(GenericKubernetesResource.class).stream()
                .filter(resource -> resource.getKind().equals(kind)).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }
}
