package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The reflection registrations of the native executables: src-shared's
 * {@code META-INF/native-image/io.candles/src-shared/reflect-config.json}, which both apps get with src-shared. A
 * class name that does not exist registers nothing and fails only at run time in a native executable, which cannot
 * run here: so the names are checked against the lz4-java jar on this classpath (the one kafka-clients brings, the
 * same version the apps get from the Quarkus BOM), and against what lz4-java picks at run time.
 */
class NativeImageRegistrationsTest {

    private static final java.nio.file.Path CONFIG = Repo.ROOT
            .resolve("src-shared/src/main/resources/META-INF/native-image/io.candles/src-shared/reflect-config.json");
    private static final ObjectMapper REFLECT_CONFIG = new ObjectMapper();

    @Test
    void everyEntryOpensConstructorsMethodsAndFields() throws Exception {
        for (JsonNode entry : REFLECT_CONFIG.readTree(Repo.read(CONFIG))) {
            assertThat(entry.path("allDeclaredConstructors").asBoolean()).as(entry.toString()).isTrue();
            assertThat(entry.path("allDeclaredMethods").asBoolean()).as(entry.toString()).isTrue();
            assertThat(entry.path("allDeclaredFields").asBoolean()).as(entry.toString()).isTrue();
        }
    }

    @Test
    void everyRegisteredClassExistsInTheLz4JavaKafkaUses() throws Exception {
        for (String name : registered()) {
            Class<?> type = Class.forName(name, false, getClass().getClassLoader());
            // lz4-java reads the static INSTANCE field of each (the HC compressor is built through a constructor).
            if (!name.contains("LZ4HC")) {
                assertThat(type.getField("INSTANCE")).as(name).isNotNull();
            }
        }
    }

    @Test
    void theRegistrationsCoverTheImplementationsLz4JavaPicksWithoutItsJniLibrary() {
        List<String> registered = registered();
        // What Kafka's lz4 streams ask for (fastestInstance() falls back to these without the JNI library).
        LZ4Factory lz4 = LZ4Factory.fastestJavaInstance();
        XXHashFactory xxhash = XXHashFactory.fastestJavaInstance();

        assertThat(registered).contains(lz4.fastCompressor().getClass().getName(),
                lz4.highCompressor().getClass().getName(), lz4.fastDecompressor().getClass().getName(),
                lz4.safeDecompressor().getClass().getName(), xxhash.hash32().getClass().getName(),
                xxhash.hash64().getClass().getName());
        // lz4-java loads each implementation by name: "net.jpountz.lz4.LZ4" + impl + "Compressor" and so on.
        for (String impl : List.of("JavaSafe")) {
            assertThat(registered).contains("net.jpountz.lz4.LZ4" + impl + "Compressor",
                    "net.jpountz.lz4.LZ4HC" + impl + "Compressor", "net.jpountz.lz4.LZ4" + impl + "FastDecompressor",
                    "net.jpountz.lz4.LZ4" + impl + "SafeDecompressor");
        }
        for (String impl : List.of("JavaSafe", "JavaUnsafe")) {
            assertThat(registered).contains("net.jpountz.xxhash.XXHash32" + impl, "net.jpountz.xxhash.XXHash64" + impl,
                    "net.jpountz.xxhash.StreamingXXHash32" + impl + "$Factory",
                    "net.jpountz.xxhash.StreamingXXHash64" + impl + "$Factory");
        }
    }

    /** The class names in src-shared's reflect-config.json. */
    private static List<String> registered() {
        List<String> names = new ArrayList<>();
        try {
            REFLECT_CONFIG.readTree(Repo.read(CONFIG)).forEach(entry -> names.add(entry.path("name").asText()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(names).as("entries of %s", CONFIG).isNotEmpty();
        return names;
    }
}
