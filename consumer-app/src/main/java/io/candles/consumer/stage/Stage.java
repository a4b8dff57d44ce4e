package io.candles.consumer.stage;

import java.util.Arrays;
import java.util.List;

import io.candles.domain.CandlePeriod;
import io.candles.wire.ConsumerGroups;

/**
 * The aggregation stages, as data: what each builds, the channel it reads (whose name is also its consumer group;
 * {@code ProgressCommits} finds a stage's work by it), the topic behind that channel, and whether it dead-letters an
 * unreadable record. Everything that varies per stage is here: {@link CandleStages}, the shutdown, the progress line,
 * the metrics and deploy-checks read it; application.properties configures each channel (ChannelSettingsCheckTest
 * checks that the two agree). A new period is a {@link CandlePeriod}, a constant here, an {@code @Incoming} method in
 * {@link CandleStages} and its channel's lines in application.properties.
 */
public enum Stage {

    ONE_MINUTE(CandlePeriod.ONE_MINUTE, Channels.ONE_MINUTE, true),
    TWO_MINUTES(CandlePeriod.TWO_MINUTES, Channels.TWO_MINUTES, true),
    /** Reads the topic the 2m stage reads too: that one dead-letters an unreadable record, this one skips it. */
    TEN_MINUTES(CandlePeriod.TEN_MINUTES, Channels.TEN_MINUTES, false);

    /** The channel names as constants, for the {@code @Incoming} annotations. */
    public static final class Channels {
        public static final String ONE_MINUTE = "stage-1m";
        public static final String TWO_MINUTES = "stage-2m";
        public static final String TEN_MINUTES = "stage-10m";

        private Channels() {
        }
    }

    private final CandlePeriod period;
    private final String channel;
    private final boolean deadLetters;

    Stage(CandlePeriod period, String channel, boolean deadLetters) {
        if (!channel.equals(ConsumerGroups.stage(period))) {
            throw new IllegalStateException("the " + period.label() + " stage's channel must be "
                    + ConsumerGroups.stage(period) + ", the name its consumer group has everywhere, not " + channel);
        }
        this.period = period;
        this.channel = channel;
        this.deadLetters = deadLetters;
    }

    /** The period of the candles it builds. */
    public CandlePeriod period() {
        return period;
    }

    /** Its incoming channel, its consumer group ({@code group.id}) and the key of its work: one name. */
    public String channel() {
        return channel;
    }

    /** The topic it reads: prices for the 1m stage, candles for the others. */
    public String inputTopic() {
        return ConsumerGroups.stageInput(period);
    }

    /** Whether it sends an unreadable record to the dead-letter topic (or skips it: another stage does that). */
    public boolean deadLetters() {
        return deadLetters;
    }

    /** Every stage's channel, in stage order. */
    public static List<String> channels() {
        return Arrays.stream(values()).map(Stage::channel).toList();
    }
}
