package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * docker-compose.yml, read into records that hold exactly the Compose fields the file uses: a misspelled key
 * ({@code depend_on}, {@code healthceck}) fails the parse instead of being ignored, as it would be by an older Compose.
 */
final class Compose {

    record File(String name, Map<String, Service> services, Map<String, Volume> volumes) {
    }

    record Service(String image, String hostname, List<String> ports, Map<String, String> environment,
            List<String> volumes, @JsonProperty("depends_on") Map<String, Dependency> dependsOn,
            Healthcheck healthcheck, @JsonProperty("stop_grace_period") String stopGracePeriod,
            List<String> profiles) {

        Service {
            profiles = profiles == null ? List.of() : profiles;
            ports = ports == null ? List.of() : ports;
            environment = environment == null ? Map.of() : environment;
            volumes = volumes == null ? List.of() : volumes;
            dependsOn = dependsOn == null ? Map.of() : dependsOn;
        }
    }

    record Dependency(String condition) {
    }

    record Healthcheck(List<String> test, String interval, String timeout, Integer retries,
            @JsonProperty("start_period") String startPeriod) {

        /** The command as one line, without the CMD / CMD-SHELL marker. */
        String command() {
            assertThat(test.get(0)).isIn("CMD", "CMD-SHELL");
            return String.join(" ", test.subList(1, test.size()));
        }
    }

    /** A named volume; the file declares them without options. */
    record Volume(String driver) {
    }

    /** A published port "host:container". */
    record Published(int host, int container) {

        static Published parse(String mapping) {
            String[] parts = mapping.split(":");
            assertThat(parts).as("port mapping %s is host:container", mapping).hasSize(2);
            return new Published(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
    }

    static final java.nio.file.Path PATH = Repo.path("docker-compose.yml");

    private Compose() {
    }

    static File read() {
        return StrictYaml.record(Repo.read(PATH), File.class);
    }
}
