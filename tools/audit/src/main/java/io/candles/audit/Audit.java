package io.candles.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.InvalidRecordException;
import io.candles.wire.CandleCsv;
import io.candles.wire.PriceJson;
import io.candles.wire.Topics;

/**
 * Command line: reads {@code prices} from the beginning, recomputes every candle with {@link ExpectedCandles} (an
 * implementation of the aggregation rules of its own, not the pipeline's code), reads the candle files of every
 * instance directory and reports matching, missing, duplicated and mismatched candles, late prices and windows
 * still open. With {@code --questdb} it checks query-app's table the same way:
 * every closed candle there once, equal to the recomputed one. Exit code 1 when any closed window is missing,
 * duplicated or wrong.
 *
 * <pre>
 * java -jar tools/audit/target/audit.jar --bootstrap-servers 127.0.0.1:9092 --dir data/consumer-1 --dir data/consumer-2
 *                                  [--grace 10s] [--questdb http://127.0.0.1:9000]
 * </pre>
 */
public final class Audit {

    static final String USAGE = """
            Usage: audit --bootstrap-servers HOST:PORT [--dir DIR ...] [--questdb URL] [--grace 10s]
              --bootstrap-servers  Kafka to read the prices topic from (default 127.0.0.1:9092)
              --dir                a consumer's output directory (candles_1m.csv, ...); repeat for each instance
              --questdb            QuestDB's HTTP URL (e.g. http://127.0.0.1:9000): check query-app's candles table
              --grace              the consumers' candles.grace (default 10s)
            At least one --dir or --questdb.""";
    private static final long PROGRESS_EVERY = 1_000_000;

    private Audit() {
    }

    public static void main(String[] args) {
        java.util.logging.Logger.getLogger("org.apache.kafka").setLevel(java.util.logging.Level.WARNING);
        String bootstrap = "127.0.0.1:9092";
        List<Path> dirs = new ArrayList<>();
        Duration grace = Duration.ofSeconds(10);
        String questDb = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--bootstrap-servers" -> bootstrap = value(args, ++i);
                    case "--dir" -> dirs.add(Path.of(value(args, ++i)));
                    case "--questdb" -> questDb = value(args, ++i);
                    case "--grace" -> grace = Duration.parse("PT" + value(args, ++i).toUpperCase());
                    case "--help", "-h" -> {
                        System.out.println(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (dirs.isEmpty() && questDb == null) {
                throw new IllegalArgumentException("at least one --dir or --questdb is needed");
            }
        } catch (RuntimeException e) {
            System.err.println("audit: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        boolean failed = false;
        if (!dirs.isEmpty()) {
            AuditReport files = run(bootstrap, dirs, grace, System.out);
            System.out.println("Files: " + files.details(20));
            failed = files.failed();
        }
        if (questDb != null) {
            AuditReport stored = runQuestDb(bootstrap, questDb, grace, System.out);
            System.out.println("QuestDB: " + stored.details(20));
            failed |= stored.failed();
        }
        System.exit(failed ? 1 : 0);
    }

    /** Runs the audit; progress goes to {@code progress}. */
    public static AuditReport run(String bootstrapServers, List<Path> dirs, Duration grace, PrintStream progress) {
        ExpectedCandles expected = new ExpectedCandles(grace);
        long prices = readPrices(bootstrapServers, expected, progress);
        Map<String, List<String>> written = new HashMap<>();
        for (Path dir : dirs) {
            for (CandlePeriod period : CandlePeriod.values()) {
                readFile(dir.resolve(CandleCsv.fileName(period)), period, written);
            }
        }
        return AuditReport.compare(prices, expected, written);
    }

    /** Runs the audit against query-app's candles table in QuestDB at {@code questDbHttpUrl}. */
    public static AuditReport runQuestDb(String bootstrapServers, String questDbHttpUrl, Duration grace,
            PrintStream progress) {
        ExpectedCandles expected = new ExpectedCandles(grace);
        long prices = readPrices(bootstrapServers, expected, progress);
        Map<String, List<String>> stored = new HashMap<>();
        long rows = StoredCandles.read(questDbHttpUrl, stored);
        progress.printf("Read %d candles from QuestDB at %s%n", rows, questDbHttpUrl);
        return AuditReport.compare(prices, expected, stored);
    }

    private static long readPrices(String bootstrapServers, ExpectedCandles expected, PrintStream progress) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PRICES, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(Topics.PRICES, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            progress.printf("Reading %d prices from %s at %s%n", total, Topics.PRICES, bootstrapServers);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue; // arrived after the snapshot of the end offsets
                    }
                    try {
                        expected.add(record.partition(), PriceJson.read(record.value()));
                    } catch (InvalidRecordException e) {
                        // dead-lettered by the pipeline; not a candle input
                    }
                    if (++count % PROGRESS_EVERY == 0) {
                        progress.printf("  %d / %d prices%n", count, total);
                    }
                }
            }
        }
        return count;
    }

    private static void readFile(Path file, CandlePeriod period, Map<String, List<String>> written) {
        if (!Files.exists(file)) {
            return;
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Candle candle = CandleCsv.parse(line, period);
                    written.computeIfAbsent(AuditReport.key(candle), k -> new ArrayList<>(1)).add(line);
                } catch (InvalidRecordException e) {
                    written.computeIfAbsent("unreadable " + file, k -> new ArrayList<>()).add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
