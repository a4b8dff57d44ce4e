package io.candles.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LocalKafkaTest {

    @Test
    void defaultsToPort9092OnLoopbackWithPersistentData() {
        LocalKafkaSettings settings = LocalKafka.parse(new String[0], Map.of());

        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(9092);
        assertThat(settings.dataDir()).isEqualTo(Path.of("data/local-kafka"));
        assertThat(settings.defaultPartitions()).isEqualTo(3);
    }

    @Test
    void optionsWinOverEnvironment() {
        LocalKafkaSettings settings = LocalKafka.parse(
                new String[] {"--port", "19092", "--data-dir", "/tmp/k", "--broker-property", "log.retention.hours=1"},
                Map.of("LOCAL_KAFKA_PORT", "29092", "LOCAL_KAFKA_PARTITIONS", "6"));

        assertThat(settings.port()).isEqualTo(19092);
        assertThat(settings.dataDir()).isEqualTo(Path.of("/tmp/k"));
        assertThat(settings.defaultPartitions()).isEqualTo(6);
        assertThat(settings.overrides()).containsEntry("log.retention.hours", "1");
    }

    @Test
    void helpReturnsNoSettings() {
        assertThat(LocalKafka.parse(new String[] {"--help"}, Map.of())).isNull();
    }

    @Test
    void rejectsBadInputNamingIt() {
        assertThatThrownBy(() -> LocalKafka.parse(new String[] {"--port", "abc"}, Map.of()))
                .hasMessage("--port must be a whole number, was \"abc\"");
        assertThatThrownBy(() -> LocalKafka.parse(new String[] {"--colour", "red"}, Map.of()))
                .hasMessage("unknown option --colour");
        assertThatThrownBy(() -> LocalKafka.parse(new String[] {"--port"}, Map.of()))
                .hasMessage("--port needs a value");
    }
}
