package io.candles.consumer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.zip.CRC32;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Default of {@code candles.instance-id} (static group membership): host name, output directory name and a short
 * hash of its absolute path, e.g. {@code pod-1-candles-1a2b3c4d}. An instance is its output directory (its files
 * hold its high-water marks), so two instances on one host with two directories never share an id. Kafka allows
 * only {@code [A-Za-z0-9._-]} here; anything else becomes {@code _}. Any configured value wins (lowest ordinal).
 */
public class InstanceIdDefault implements ConfigSourceFactory {

    static final String PROPERTY = "candles.instance-id";

    @Override
    public Iterable<org.eclipse.microprofile.config.spi.ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue outputDir = context.getValue("candles.output-dir");
        if (outputDir == null || outputDir.getValue() == null) {
            return List.of();
        }
        String host = hostName();
        return List.of(new MapBackedConfigSource("candles.instance-id default", Map.of(PROPERTY,
                instanceId(host, Path.of(outputDir.getValue()))), 10) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(10);
    }

    /** $HOSTNAME where it is exported (containers, pods), else what the system calls this host. */
    static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    static String instanceId(String host, Path outputDir) {
        Path absolute = outputDir.toAbsolutePath().normalize();
        CRC32 crc = new CRC32();
        crc.update(absolute.toString().getBytes(StandardCharsets.UTF_8));
        Path name = absolute.getFileName();
        String id = host + "-" + (name == null ? "root" : name) + "-" + String.format("%08x", crc.getValue());
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }

}
