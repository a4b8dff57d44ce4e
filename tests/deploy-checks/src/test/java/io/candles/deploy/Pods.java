package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/** Pod templates of a build, and what their containers get: environment, ports. */
final class Pods {

    private Pods() {
    }

    /** Every pod template of the build, by the name of the workload that owns it. */
    static Map<String, PodTemplateSpec> templates(Kustomize.Build build) {
        Map<String, PodTemplateSpec> templates = new LinkedHashMap<>();
        build.all(Deployment.class).forEach(d -> templates.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
        build.all(StatefulSet.class).forEach(s -> templates.put(s.getMetadata().getName(), s.getSpec().getTemplate()));
        build.all(Job.class).forEach(j -> templates.put(j.getMetadata().getName(), j.getSpec().getTemplate()));
        return templates;
    }

    static Container container(PodTemplateSpec template, String name) {
        List<Container> containers = template.getSpec().getContainers().stream()
                .filter(container -> container.getName().equals(name)).toList();
        assertThat(containers).as("container %s", name).hasSize(1);
        return containers.get(0);
    }

    /**
     * The environment a container starts with: every key of its envFrom ConfigMaps, then its env entries (a field
     * reference shows as {@code $(fieldRef:<path>)}). Each referenced ConfigMap must be part of the build.
     */
    static Map<String, String> environment(Kustomize.Build build, Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource source : container.getEnvFrom()) {
            assertThat(source.getSecretRef()).as("envFrom secretRef").isNull();
            assertThat(source.getPrefix()).as("envFrom prefix").isNull();
            assertThat(source.getConfigMapRef().getOptional()).as("envFrom of an optional ConfigMap").isNotEqualTo(true);
            ConfigMap configMap = build.one(ConfigMap.class, source.getConfigMapRef().getName());
            env.putAll(configMap.getData());
        }
        for (EnvVar var : container.getEnv()) {
            if (var.getValueFrom() != null) {
                assertThat(var.getValueFrom().getFieldRef()).as("env %s", var.getName()).isNotNull();
                env.put(var.getName(), "$(fieldRef:" + var.getValueFrom().getFieldRef().getFieldPath() + ")");
            } else {
                env.put(var.getName(), var.getValue());
            }
        }
        return env;
    }

    /** The container port a probe or a Service's targetPort means: a number, or the name of a container port. */
    static int port(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        List<Integer> named = container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).toList();
        assertThat(named).as("container port named %s in %s", port.getStrVal(), container.getName()).hasSize(1);
        return named.get(0);
    }
}
