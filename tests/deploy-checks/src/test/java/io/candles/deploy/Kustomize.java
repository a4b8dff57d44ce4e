package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * What {@code kubectl apply -k <dir>} would apply, without kubectl: the kustomization files, every resource they
 * list (directories recursively), each parsed strictly into the fabric8 model, and the ConfigMap patches applied.
 * Only the kustomize features these files use are understood; anything else fails the parse.
 */
final class Kustomize {

    /** The kinds the manifests may contain, by apiVersion/kind; anything else is a mistake. */
    static final Map<String, Class<? extends HasMetadata>> MODEL = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "batch/v1/Job", Job.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

    /** Strimzi's custom resources, which fabric8's model does not know: generic, their fields checked one by one. */
    static final String STRIMZI_API = "kafka.strimzi.io/v1";
    static final Set<String> STRIMZI_KINDS = Set.of("Kafka", "KafkaNodePool", "KafkaTopic");
    /** The custom resources of the optional components (KEDA, the Prometheus Operator): generic, checked by tests. */
    static final Set<String> OPTIONAL_KINDS = Set.of("keda.sh/v1alpha1/ScaledObject",
            "monitoring.coreos.com/v1/PodMonitor");

    /** A kustomization.yaml, with exactly the fields these files use: a misspelled one fails the parse. */
    record Kustomization(String apiVersion, String kind, String namespace, List<String> resources,
            List<Patch> patches, List<String> components) {

        Kustomization {
            resources = resources == null ? List.of() : resources;
            patches = patches == null ? List.of() : patches;
            components = components == null ? List.of() : components;
        }
    }

    record Patch(String path) {
    }

    /** A resource and the file it came from. */
    record Resource(Path file, HasMetadata resource) {

        String kind() {
            return resource.getKind();
        }

        String name() {
            return resource.getMetadata().getName();
        }
    }

    /** The build of one kustomization directory. */
    record Build(Path dir, Kustomization kustomization, List<Resource> resources, List<Path> kustomizations) {

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return resources.stream().map(Resource::resource).filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type, String name) {
            List<T> matches = all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).toList();
            assertThat(matches).as("%s %s in %s", type.getSimpleName(), name, Repo.relative(dir)).hasSize(1);
            return matches.get(0);
        }

        <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
            return all(type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
        }

        List<GenericKubernetesResource> strimzi(String kind) {
            return all(GenericKubernetesResource.class).stream().filter(r -> r.getKind().equals(kind)).toList();
        }
    }

    private Kustomize() {
    }

    static Kustomization kustomization(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        assertThat(file).as("kustomization in %s", Repo.relative(dir)).isRegularFile();
        Kustomization kustomization = StrictYaml.record(Repo.read(file), Kustomization.class);
        // A Kustomization, or a Component (an optional part a variant lists under components:).
        if ("Component".equals(kustomization.kind())) {
            assertThat(kustomization.apiVersion()).as(Repo.relative(file))
                    .isEqualTo("kustomize.config.k8s.io/v1alpha1");
        } else {
            assertThat(kustomization.apiVersion()).as(Repo.relative(file))
                    .isEqualTo("kustomize.config.k8s.io/v1beta1");
            assertThat(kustomization.kind()).as(Repo.relative(file)).isEqualTo("Kustomization");
        }
        return kustomization;
    }

    static Build build(Path dir) {
        Kustomization kustomization = kustomization(dir);
        List<Resource> resources = new ArrayList<>();
        List<Path> kustomizations = new ArrayList<>(List.of(dir.resolve("kustomization.yaml")));
        for (String entry : kustomization.resources()) {
            Path target = dir.resolve(entry).normalize();
            assertThat(target).as("resource %s of %s", entry, Repo.relative(dir)).exists();
            if (Files.isDirectory(target)) {
                Build nested = build(target);
                resources.addAll(nested.resources());
                kustomizations.addAll(nested.kustomizations());
            } else {
                parse(target).forEach(resource -> resources.add(new Resource(target, resource)));
            }
        }
        for (String entry : kustomization.components()) {
            Build component = build(dir.resolve(entry).normalize());
            assertThat(component.kustomization().kind()).as("component %s of %s", entry, Repo.relative(dir))
                    .isEqualTo("Component");
            resources.addAll(component.resources());
            kustomizations.addAll(component.kustomizations());
        }
        for (Patch patch : kustomization.patches()) {
            Path file = dir.resolve(patch.path()).normalize();
            for (HasMetadata change : parse(file)) {
                applyConfigMapPatch(resources, change, file);
            }
        }
        Map<String, Resource> unique = new LinkedHashMap<>();
        for (Resource resource : resources) {
            String key = resource.resource().getApiVersion() + "/" + resource.kind() + "/" + resource.name();
            assertThat(unique.put(key, resource)).as("%s defined twice", key).isNull();
        }
        return new Build(dir, kustomization, List.copyOf(resources), List.copyOf(kustomizations));
    }

    /** Every document of a manifest file, each parsed strictly into its model class. */
    static List<HasMetadata> parse(Path file) {
        List<HasMetadata> resources = new ArrayList<>();
        for (JsonNode document : StrictYaml.documents(Repo.read(file))) {
            resources.add(parse(document, Repo.relative(file)));
        }
        assertThat(resources).as("resources in %s", Repo.relative(file)).isNotEmpty();
        return resources;
    }

    static HasMetadata parse(JsonNode document, String source) {
        String apiVersion = document.path("apiVersion").asText();
        String kind = document.path("kind").asText();
        if (apiVersion.equals(STRIMZI_API) && STRIMZI_KINDS.contains(kind)
                || OPTIONAL_KINDS.contains(apiVersion + "/" + kind)) {
            return StrictYaml.kubernetes(document, GenericKubernetesResource.class);
        }
        Class<? extends HasMetadata> type = MODEL.get(apiVersion + "/" + kind);
        assertThat(type).as("%s: apiVersion %s kind %s is not one these manifests use", source, apiVersion, kind)
                .isNotNull();
        HasMetadata resource = StrictYaml.kubernetes(document, type);
        assertThat(resource.getMetadata()).as("%s: metadata", source).isNotNull();
        assertThat(resource.getMetadata().getName()).as("%s: metadata.name", source).isNotBlank();
        return resource;
    }

    /** A strategic-merge patch of a ConfigMap's data, the only kind of patch these kustomizations use. */
    private static void applyConfigMapPatch(List<Resource> resources, HasMetadata change, Path file) {
        assertThat(change).as("%s patches ConfigMap data only", Repo.relative(file)).isInstanceOf(ConfigMap.class);
        ConfigMap patch = (ConfigMap) change;
        List<ConfigMap> targets = resources.stream().map(Resource::resource).filter(ConfigMap.class::isInstance)
                .map(ConfigMap.class::cast)
                .filter(configMap -> configMap.getMetadata().getName().equals(patch.getMetadata().getName()))
                .toList();
        assertThat(targets).as("the ConfigMap %s patches", Repo.relative(file)).hasSize(1);
        ConfigMap target = targets.get(0);
        assertThat(target.getData().keySet()).as("%s only changes existing keys", Repo.relative(file))
                .containsAll(patch.getData().keySet());
        target.getData().putAll(patch.getData());
    }

    /** Every YAML file below {@code dir}. */
    static Stream<Path> yamlFiles(Path dir) {
        return Repo.files(dir).filter(file -> file.getFileName().toString().matches(".*\\.ya?ml"));
    }
}
