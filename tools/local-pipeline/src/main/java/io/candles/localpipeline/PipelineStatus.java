package io.candles.localpipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.candles.domain.CandlePeriod;
import io.candles.wire.CandleCsv;
import io.candles.wire.ConsumerGroups;
import io.candles.wire.Topics;

/**
 * What a running pipeline has done, read from outside: records in the topics, consumer lag per group (from Kafka)
 * and candle lines per file per instance (from the files). Reads files incrementally, so it stays cheap on long runs.
 */
public final class PipelineStatus implements AutoCloseable {

    /** The consumer groups of the consumer app, by the stage they belong to. */
    public static final Map<String, String> GROUPS = orderedGroups();

    private final Admin admin;
    private final Map<Path, LineCounter> counters = new HashMap<>();

    /** One reading. Lag is -1 for a group that has committed nothing yet. */
    public record Snapshot(long prices, long candles, Map<String, Long> lagByStage,
            Map<String, Map<CandlePeriod, Long>> linesByInstance) {

        public long lines(CandlePeriod period) {
            return linesByInstance.values().stream().mapToLong(lines -> lines.getOrDefault(period, 0L)).sum();
        }
    }

    public PipelineStatus(String bootstrapServers) {
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000));
    }

    /** Reads everything once; Kafka figures are -1 while the broker does not answer. */
    public Snapshot read(Map<String, Path> instanceDirs) {
        Map<String, Map<CandlePeriod, Long>> lines = new LinkedHashMap<>();
        instanceDirs.forEach((instance, dir) -> {
            Map<CandlePeriod, Long> perPeriod = new EnumMap<>(CandlePeriod.class);
            for (CandlePeriod period : CandlePeriod.values()) {
                perPeriod.put(period, counters.computeIfAbsent(dir.resolve(CandleCsv.fileName(period)),
                        LineCounter::new).count());
            }
            lines.put(instance, perPeriod);
        });
        try {
            Map<TopicPartition, Long> ends = endOffsets();
            Map<String, Long> lag = new LinkedHashMap<>();
            for (Map.Entry<String, String> group : GROUPS.entrySet()) {
                lag.put(group.getKey(), lagOf(group.getValue(), ends));
            }
            return new Snapshot(sum(ends, Topics.PRICES), sum(ends, Topics.CANDLES), lag, lines);
        } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            return new Snapshot(-1, -1, Map.of(), lines);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Snapshot(-1, -1, Map.of(), lines);
        }
    }

    private Map<TopicPartition, Long> endOffsets()
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(List.of(Topics.PRICES, Topics.CANDLES)).allTopicNames().get(5, TimeUnit.SECONDS)
                .forEach((name, topic) -> topic.partitions()
                        .forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end : admin.listOffsets(request).all()
                .get(5, TimeUnit.SECONDS).entrySet()) {
            ends.put(end.getKey(), end.getValue().offset());
        }
        return ends;
    }

    private long lagOf(String group, Map<TopicPartition, Long> ends)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        if (committed.isEmpty()) {
            return -1;
        }
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata commit = committed.get(end.getKey());
            if (commit != null || end.getKey().topic().equals(topicOf(group))) {
                lag += end.getValue() - (commit == null ? 0 : commit.offset());
            }
        }
        return lag;
    }

    private static String topicOf(String group) {
        for (CandlePeriod period : CandlePeriod.values()) {
            if (ConsumerGroups.stage(period).equals(group)) {
                return ConsumerGroups.stageInput(period);
            }
        }
        return Topics.CANDLES;
    }

    private static long sum(Map<TopicPartition, Long> ends, String topic) {
        return ends.entrySet().stream().filter(end -> end.getKey().topic().equals(topic))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private static Map<String, String> orderedGroups() {
        Map<String, String> groups = new LinkedHashMap<>();
        for (CandlePeriod period : CandlePeriod.values()) {
            groups.put(period.label(), ConsumerGroups.stage(period));
        }
        groups.put("sink", ConsumerGroups.SINK);
        return java.util.Collections.unmodifiableMap(groups);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }

    /** Counts the newlines of a file that only grows, reading only what was appended since the last call. */
    private static final class LineCounter {

        private final Path file;
        private long position;
        private long lines;

        LineCounter(Path file) {
            this.file = file;
        }

        long count() {
            if (!Files.isRegularFile(file)) {
                return lines;
            }
            try (InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(Math.min(position, Files.size(file)));
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                    position += n;
                }
            } catch (IOException e) {
                // The file is being replaced or is unreadable for a moment: keep the last count.
            }
            return lines;
        }
    }
}
