package io.candles.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class InstanceIdDefaultTest {

    @Test
    void holdsOnlyCharactersKafkaAllowsInAnInstanceId() {
        String id = InstanceIdDefault.instanceId("pod 1:ü/x", Path.of("/var/lib/my candles#1,ä"));

        assertThat(id).matches("[A-Za-z0-9._-]+");
    }

    @Test
    void namesTheHostAndTheOutputDirectory() {
        String id = InstanceIdDefault.instanceId("pod-1", Path.of("/var/lib/candles"));

        assertThat(id).startsWith("pod-1-candles-").contains("pod-1").contains("candles");
        assertThat(id).matches("pod-1-candles-[0-9a-f]{8}");
    }

    @Test
    void twoDirectoriesOfTheSameNameUnderDifferentParentsGetDifferentIds() {
        String first = InstanceIdDefault.instanceId("pod-1", Path.of("/data/a/candles"));
        String second = InstanceIdDefault.instanceId("pod-1", Path.of("/data/b/candles"));

        assertThat(first).isNotEqualTo(second);
        assertThat(first).startsWith("pod-1-candles-");
        assertThat(second).startsWith("pod-1-candles-");
    }

    @Test
    void theSameDirectoryAlwaysGetsTheSameId() {
        String id = InstanceIdDefault.instanceId("pod-1", Path.of("/data/a/candles"));

        assertThat(InstanceIdDefault.instanceId("pod-1", Path.of("/data/a/candles"))).isEqualTo(id);
        // The same directory spelled differently is the same instance.
        assertThat(InstanceIdDefault.instanceId("pod-1", Path.of("/data/a/./b/../candles"))).isEqualTo(id);
        Path relative = Path.of("data", "candles");
        assertThat(InstanceIdDefault.instanceId("pod-1", relative))
                .isEqualTo(InstanceIdDefault.instanceId("pod-1", relative.toAbsolutePath()));
    }

    @Test
    void anotherHostWithTheSameDirectoryGetsAnotherId() {
        assertThat(InstanceIdDefault.instanceId("pod-1", Path.of("/data/candles")))
                .isNotEqualTo(InstanceIdDefault.instanceId("pod-2", Path.of("/data/candles")));
    }
}
