package io.candles.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * YAML readers as strict as the servers that will read these files. A misspelled or unknown field, a duplicate key
 * or a number where a string belongs fails, as {@code kubectl apply} (server-side field validation) or
 * {@code docker compose config} would.
 */
final class StrictYaml {

    /**
     * For the fabric8 Kubernetes model. Its classes keep unknown fields in an "additionalProperties" any-setter, which
     * would swallow every misspelling: switched off here, so Jackson fails on them. Only GenericKubernetesResource,
     * which is nothing but additional properties (the Strimzi resources), keeps its any-setter. No scalar coercion:
     * the API server rejects {@code replicas: "2"} and a ConfigMap value {@code 3}.
     */
    static final YAMLMapper KUBERNETES = YAMLMapper.builder(strictFactory())
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    if (annotated instanceof AnnotatedMember member
                            && member.getDeclaringClass().getName().startsWith("io.fabric8.")
                            && member.getDeclaringClass() != GenericKubernetesResource.class) {
                        return false;
                    }
                    return super.hasAnySetter(annotated);
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, strings -> strings
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    /** For kustomizations and docker-compose.yml, read into records that list the fields we use. */
    static final YAMLMapper RECORDS = YAMLMapper.builder(strictFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private StrictYaml() {
    }

    /** Duplicate keys fail; an empty value ({@code kafka-data:}) is null, as YAML means it. */
    private static YAMLFactory strictFactory() {
        return YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();
    }

    /** Every document of a (possibly multi-document) YAML text; empty documents are skipped. */
    static List<JsonNode> documents(String yaml) {
        try (JsonParser parser = KUBERNETES.getFactory().createParser(yaml);
                MappingIterator<JsonNode> documents = KUBERNETES.readerFor(JsonNode.class).readValues(parser)) {
            List<JsonNode> result = new ArrayList<>();
            while (documents.hasNextValue()) {
                JsonNode document = documents.nextValue();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    result.add(document);
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T kubernetes(JsonNode document, Class<T> type) {
        try {
            return KUBERNETES.treeToValue(document, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T record(String yaml, Class<T> type) {
        try {
            return RECORDS.readValue(yaml, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
