package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappingInterface;

/**
 * The setting names of a {@code @ConfigMapping} interface, as SmallRye Config derives them from the class itself:
 * its prefix, then each property in the mapping's naming strategy ({@code maxInFlight()} ->
 * {@code generator.max-in-flight}), {@code @WithName} honoured, nested groups flattened ({@code Load load()} ->
 * {@code generator.load.*}).
 */
final class ConfigMappingSettings {

    private ConfigMappingSettings() {
    }

    static Set<String> of(Class<?> mapping) {
        ConfigMapping annotation = mapping.getAnnotation(ConfigMapping.class);
        assertThat(annotation).as("@ConfigMapping on %s", mapping.getName()).isNotNull();
        // The metadata SmallRye reads from the interface by reflection. Not ConfigMappings.ConfigClass: that also
        // generates the implementation with ASM, which Quarkus does at build time and leaves off the apps' classpath.
        Map<String, ConfigMappingInterface.Property> properties = ConfigMappingInterface
                .getProperties(ConfigMappingInterface.getConfigurationInterface(mapping)).get(mapping).get("");
        assertThat(properties).as("properties of %s", mapping.getName()).isNotEmpty();

        Set<String> settings = new TreeSet<>();
        for (String name : properties.keySet()) {
            // "tickers[*]" (an element of a list) or a "*" map key is a pattern, not a name a deployment sets.
            if (!name.contains("*")) {
                settings.add(annotation.prefix().isEmpty() ? name : annotation.prefix() + "." + name);
            }
        }
        return settings;
    }
}
