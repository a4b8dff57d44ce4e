package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.candles.consumer.ProgressCommits;
import io.candles.consumer.sink.CandleSink;
import io.candles.query.ingest.CandleIngest;

/**
 * The worst-case time an app needs between SIGTERM and exit, computed from its effective settings. A grace period
 * (Kubernetes' terminationGracePeriodSeconds, Compose's stop_grace_period) shorter than this lets SIGKILL cut the
 * drain short.
 *
 * <p>The Kafka part follows the close sequence of the SmallRye Kafka connector (4.33): after the app's own
 * ShutdownEvent work, {@code KafkaConnector.terminate} closes the incoming channels one after another, then the
 * outgoing ones. Per incoming channel, {@code KafkaSource.closeQuietly}: pause the partitions on the polling thread
 * (awaited at most 2 x poll-timeout) and sleep 2 x poll-timeout so the last poll completes (graceful-shutdown,
 * default true); the throttled commit strategy, where a channel has it, waits up to auto.commit.interval.ms for
 * unacknowledged records, then awaits the final commit as long again (consumer-app's channels commit nothing
 * themselves: commit-strategy=ignore); the dead-letter queue, if the channel has one, closes its producer
 * (close-timeout); the consumer closes (awaited at most 2 x default.api.timeout.ms, 1 s unless set). Per outgoing
 * channel the producer closes (close-timeout).
 */
record ShutdownDrain(List<Step> steps) {

    record Step(String what, Duration bound) {
    }

    Duration total() {
        return steps.stream().map(Step::bound).reduce(Duration.ZERO, Duration::plus);
    }

    String explain() {
        StringBuilder text = new StringBuilder();
        steps.forEach(step -> text.append(String.format(Locale.ROOT, "%n  %-80s %6.1f s", step.what(),
                step.bound().toMillis() / 1000.0)));
        return text.append(String.format(Locale.ROOT, "%n  %-80s %6.1f s", "total", total().toMillis() / 1000.0))
                .toString();
    }

    /** Settle the candles in flight, flush the sink, then the connector's close sequence. */
    static ShutdownDrain consumer(App app, Map<String, String> env) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("candles.shutdown-timeout: candles in flight to be accepted by Kafka",
                duration(app.effective("candles.shutdown-timeout", env).orElse("20s"))));
        // One append + fsync per candle file (at most three), a second is generous; around it at most two writes to
        // candles-sink-marks (tickers new to it before the force, the marks after), each bounded by
        // CandleSink.RECORD_TIMEOUT. A broker that does not answer fails the first, and the flush stops there.
        steps.add(new Step("sink flush of the partial batches, marks recorded (2 x CandleSink.RECORD_TIMEOUT)",
                Duration.ofSeconds(1).plus(CandleSink.RECORD_TIMEOUT.multipliedBy(2))));
        steps.add(new Step("the stages' and the sink's commits (ProgressCommits.COMMIT_ON_SHUTDOWN)",
                ProgressCommits.COMMIT_ON_SHUTDOWN));
        steps.addAll(connector(app, env));
        return new ShutdownDrain(steps);
    }

    /** The drain of any of the apps, computed from its settings. */
    static ShutdownDrain of(App app, Map<String, String> env) {
        if (app == App.CONSUMER) {
            return consumer(app, env);
        }
        if (app == App.PRODUCER) {
            return producer(app, env);
        }
        assertThat(app).as("an app whose SIGTERM handling this class knows").isEqualTo(App.QUERY);
        return query(app, env);
    }

    /**
     * A poll QuestDB refuses is given up at its next retry (read again after the restart), then the connector's close
     * sequence. A poll QuestDB takes is acknowledged at once.
     */
    static ShutdownDrain query(App app, Map<String, String> env) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("a poll QuestDB refuses, given up at its next retry (CandleIngest.RETRY_INTERVAL)",
                CandleIngest.RETRY_INTERVAL));
        steps.addAll(connector(app, env));
        return new ShutdownDrain(steps);
    }

    /** Wait for every generated price to be acknowledged, then the connector's close sequence. */
    static ShutdownDrain producer(App app, Map<String, String> env) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("generator.shutdown-timeout: every generated price acknowledged by Kafka",
                duration(app.effective("generator.shutdown-timeout", env).orElse("30s"))));
        steps.addAll(connector(app, env));
        return new ShutdownDrain(steps);
    }

    private static List<Step> connector(App app, Map<String, String> env) {
        List<Step> steps = new ArrayList<>();
        for (String channel : app.kafkaChannels("incoming")) {
            long poll = millis(app, "incoming", channel, "poll-timeout", env, 1000);
            boolean throttled = app.channelAttribute("incoming", channel, "commit-strategy", env)
                    .orElse("throttled").equals("throttled");
            long commitInterval = throttled ? millis(app, "incoming", channel, "auto.commit.interval.ms", env, 5000)
                    : 0;
            long apiTimeout = millis(app, "incoming", channel, "default.api.timeout.ms", env, 1000);
            boolean graceful = Boolean.parseBoolean(
                    app.channelAttribute("incoming", channel, "graceful-shutdown", env).orElse("true"));
            boolean deadLetters = app.channelAttribute("incoming", channel, "failure-strategy", env)
                    .filter("dead-letter-queue"::equals).isPresent();
            long bound = (graceful ? 4 * poll + commitInterval : 0) + commitInterval + 2 * apiTimeout;
            String what = "incoming " + channel + ": " + (graceful ? "pause + grace sleep, " : "")
                    + (throttled ? "unacknowledged wait + commit, " : "") + "consumer close";
            if (deadLetters) {
                long dlqClose = app.channelAttribute("incoming", channel, "dead-letter-queue.close-timeout", env)
                        .or(() -> app.channelAttribute("incoming", channel, "close-timeout", env))
                        .map(Long::parseLong).orElse(10_000L);
                bound += dlqClose;
                what += ", dead-letter producer";
            }
            steps.add(new Step(what, Duration.ofMillis(bound)));
        }
        for (String channel : app.kafkaChannels("outgoing")) {
            steps.add(new Step("outgoing " + channel + ": producer close (close-timeout)",
                    Duration.ofMillis(millis(app, "outgoing", channel, "close-timeout", env, 10_000))));
        }
        return steps;
    }

    private static long millis(App app, String direction, String channel, String attribute, Map<String, String> env,
            long fallback) {
        return app.channelAttribute(direction, channel, attribute, env).map(Long::parseLong).orElse(fallback);
    }

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    /**
     * A duration as Quarkus reads it ({@code 20s}, {@code 500ms}, {@code PT20S}, a bare number of seconds) or as
     * Compose does ({@code 1m30s}).
     */
    static Duration duration(String text) {
        String value = text.trim();
        if (value.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
            return Duration.parse(value);
        }
        Matcher part = PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            double amount = Double.parseDouble(part.group(1));
            long unitMillis = switch (part.group(2)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            total = total.plusMillis(Math.round(amount * unitMillis));
            end = part.end();
        }
        if (end != value.length() || end == 0) {
            throw new IllegalArgumentException("Not a duration: " + text);
        }
        return total;
    }
}
