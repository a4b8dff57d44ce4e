package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/**
 * The parsers the other checks rely on reject what the real servers reject. Without this, a lenient parser would let
 * every check pass on a misspelled file.
 */
class StrictParsingTest {

    private static final String STATEFUL_SET = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: consumer-app
            spec:
              %s: 2
              serviceName: consumer-app
              selector:
                matchLabels:
                  app: consumer-app
              template:
                metadata:
                  labels:
                    app: consumer-app
                spec:
                  containers:
                    - name: consumer-app
                      image: candles/consumer-app:native
                      ports:
                        - %s: 8081
            """;

    @Test
    void aWellFormedManifestParses() {
        HasMetadata parsed = Kustomize.parse(StrictYaml.documents(STATEFUL_SET.formatted("replicas", "containerPort"))
                .get(0), "inline");

        assertThat(parsed).isInstanceOf(StatefulSet.class);
        assertThat(((StatefulSet) parsed).getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void aMisspelledFieldFailsAtTheTopAndDeepInsideThePodTemplate() {
        assertThatThrownBy(() -> Kustomize.parse(StrictYaml.documents(
                STATEFUL_SET.formatted("replicass", "containerPort")).get(0), "inline"))
                .hasMessageContaining("replicass");
        assertThatThrownBy(() -> Kustomize.parse(StrictYaml.documents(
                STATEFUL_SET.formatted("replicas", "containerPorts")).get(0), "inline"))
                .hasMessageContaining("containerPorts");
    }

    @Test
    void aDuplicateKeyAndANumberWhereTheApiWantsAStringFail() {
        assertThatThrownBy(() -> StrictYaml.documents("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: a
                  name: b
                """)).hasMessageContaining("name");
        assertThatThrownBy(() -> Kustomize.parse(StrictYaml.documents("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: producer-app
                data:
                  TOPICS_PARTITIONS: 3
                """).get(0), "inline")).hasMessageContaining("TOPICS_PARTITIONS");
        ConfigMap quoted = (ConfigMap) Kustomize.parse(StrictYaml.documents("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: producer-app
                data:
                  TOPICS_PARTITIONS: "3"
                """).get(0), "inline");
        assertThat(quoted.getData()).isEqualTo(Map.of("TOPICS_PARTITIONS", "3"));
    }

    @Test
    void aKindTheseManifestsDoNotUseFails() {
        assertThatThrownBy(() -> Kustomize.parse(StrictYaml.documents("""
                apiVersion: apps/v1beta1
                kind: StatefulSet
                metadata:
                  name: old
                """).get(0), "inline")).hasMessageContaining("apps/v1beta1");
    }

    @Test
    void aMisspelledKustomizationOrComposeKeyAndADuplicateComposeKeyFail() {
        assertThatThrownBy(() -> StrictYaml.record("""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resource:
                  - app
                """, Kustomize.Kustomization.class)).hasMessageContaining("resource");
        assertThatThrownBy(() -> StrictYaml.record("""
                services:
                  consumer-1:
                    image: candles/consumer-app:jvm
                    depend_on:
                      kafka:
                        condition: service_healthy
                """, Compose.File.class)).hasMessageContaining("depend_on");
        assertThatThrownBy(() -> StrictYaml.record("""
                services:
                  consumer-2:
                    environment:
                      CANDLES_INSTANCE_ID: consumer-2
                      CANDLES_INSTANCE_ID: consumer-1
                """, Compose.File.class)).hasMessageContaining("CANDLES_INSTANCE_ID");
    }
}
