package io.candles.wire;

import io.candles.domain.CandlePeriod;

/**
 * consumer-app's consumer groups. Each is also the name of the channel that reads it; the operations tools
 * (bin/pipeline's status, the KEDA trigger) name them too.
 */
public final class ConsumerGroups {

    /** The batch file sink, on {@link Topics#CANDLES}. */
    public static final String SINK = "candles-sink";

    private ConsumerGroups() {
    }

    /** The stage that builds candles of {@code period}: {@code stage-1m}, {@code stage-2m}, {@code stage-10m}. */
    public static String stage(CandlePeriod period) {
        return "stage-" + period.label();
    }

    /** The topic a stage reads: prices for a period without a source period, else candles. */
    public static String stageInput(CandlePeriod period) {
        return period.source().isPresent() ? Topics.CANDLES : Topics.PRICES;
    }
}
