package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The configuration of an {@code apache/kafka} container: the image writes every {@code KAFKA_*} variable into
 * server.properties ({@code KAFKA_LOG_DIRS} -> {@code log.dirs}) and formats KRaft storage with {@code CLUSTER_ID}.
 * The checks are the ones Kafka itself makes at start-up, and a few it cannot make (an address nobody can reach).
 */
record KafkaBrokerEnv(Map<String, String> env) {

    /** What the image's configureDefaults script sets when a variable is missing (a log dir in /tmp, for one). */
    static final Set<String> IMAGE_DEFAULTS = Set.of("CLUSTER_ID", "KAFKA_NODE_ID",
            "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "KAFKA_LISTENERS", "KAFKA_ADVERTISED_LISTENERS",
            "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS",
            "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
            "KAFKA_PROCESS_ROLES", "KAFKA_CONTROLLER_QUORUM_VOTERS", "KAFKA_INTER_BROKER_LISTENER_NAME",
            "KAFKA_CONTROLLER_LISTENER_NAMES", "KAFKA_LOG_DIRS");

    /** Internal topics that default to 3 replicas, which one node cannot hold. */
    static final Set<String> SINGLE_NODE_REPLICATION = Set.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
            "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
            "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR");

    record Endpoint(String host, int port) {

        static Endpoint parse(String hostAndPort) {
            int colon = hostAndPort.lastIndexOf(':');
            return new Endpoint(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    String get(String name) {
        assertThat(env).as("broker environment").containsKey(name);
        return env.get(name);
    }

    /** Listener name -> endpoint of KAFKA_LISTENERS or KAFKA_ADVERTISED_LISTENERS ("NAME://host:port,..."). */
    Map<String, Endpoint> listeners(String variable) {
        Map<String, Endpoint> listeners = new LinkedHashMap<>();
        for (String listener : get(variable).split(",")) {
            String[] nameAndAddress = listener.trim().split("://", 2);
            assertThat(nameAndAddress).as("%s entry %s", variable, listener).hasSize(2);
            assertThat(listeners.put(nameAndAddress[0], Endpoint.parse(nameAndAddress[1])))
                    .as("%s names %s twice", variable, nameAndAddress[0]).isNull();
        }
        return listeners;
    }

    /** The advertised endpoint of a listener: what a client of that listener bootstraps from and gets back. */
    Endpoint advertised(String listener) {
        assertThat(listeners("KAFKA_ADVERTISED_LISTENERS")).containsKey(listener);
        return listeners("KAFKA_ADVERTISED_LISTENERS").get(listener);
    }

    /** A single combined broker and controller that Kafka would accept, reachable at {@code voterHost}. */
    void assertConsistentSingleNode(String voterHost) {
        assertThat(env.keySet()).as("every setting the image would otherwise default")
                .containsAll(IMAGE_DEFAULTS);

        byte[] clusterId = Base64.getUrlDecoder().decode(get("CLUSTER_ID"));
        assertThat(clusterId).as("CLUSTER_ID is a base64url UUID (kafka-storage.sh random-uuid)").hasSize(16);
        assertThat(Set.of(get("KAFKA_PROCESS_ROLES").split(","))).containsExactlyInAnyOrder("broker", "controller");

        Map<String, Endpoint> listeners = listeners("KAFKA_LISTENERS");
        Map<String, String> protocols = Arrays.stream(get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(","))
                .map(entry -> entry.split(":", 2))
                .collect(Collectors.toMap(entry -> entry[0], entry -> entry[1]));
        assertThat(protocols.keySet()).as("every listener has a security protocol")
                .containsAll(listeners.keySet());
        assertThat(listeners.values().stream().map(Endpoint::port).distinct()).as("listener ports")
                .hasSameSizeAs(listeners.values());

        List<String> controllerListeners = List.of(get("KAFKA_CONTROLLER_LISTENER_NAMES").split(","));
        assertThat(listeners.keySet()).containsAll(controllerListeners);
        String interBroker = get("KAFKA_INTER_BROKER_LISTENER_NAME");
        assertThat(listeners).containsKey(interBroker);
        assertThat(controllerListeners).doesNotContain(interBroker);

        Map<String, Endpoint> advertised = listeners("KAFKA_ADVERTISED_LISTENERS");
        assertThat(advertised.keySet()).as("advertised listeners are broker listeners")
                .isSubsetOf(listeners.keySet()).doesNotContainAnyElementsOf(controllerListeners);
        advertised.forEach((name, endpoint) -> assertThat(endpoint.port())
                .as("advertised port of %s is the port it listens on", name).isEqualTo(listeners.get(name).port()));

        String voters = get("KAFKA_CONTROLLER_QUORUM_VOTERS");
        assertThat(voters).as("the only voter is this node on its controller listener")
                .isEqualTo(get("KAFKA_NODE_ID") + "@" + voterHost + ":"
                        + listeners.get(controllerListeners.get(0)).port());

        SINGLE_NODE_REPLICATION.forEach(name -> assertThat(get(name)).as(name).isEqualTo("1"));
        assertThat(get("KAFKA_NUM_PARTITIONS")).as("partitions of topics created on first use").isEqualTo("3");
    }
}
