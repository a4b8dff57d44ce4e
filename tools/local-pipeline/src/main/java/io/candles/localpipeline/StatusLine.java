package io.candles.localpipeline;

import java.time.LocalTime;
import java.util.Collection;
import java.util.Map;

import io.candles.domain.CandlePeriod;

/**
 * The compact periodic table of {@code bin/pipeline}: prices sent and their rate, candle lines written per period
 * per instance, and consumer lag per stage (records not yet committed; open windows and partial batches keep some).
 */
final class StatusLine {

    private StatusLine() {
    }

    static String header(Collection<String> instances) {
        StringBuilder line = new StringBuilder(String.format("%-8s %10s %8s", "time", "prices", "per s"));
        for (String instance : instances) {
            line.append(String.format(" | %-10s", instance));
            for (CandlePeriod period : CandlePeriod.values()) {
                line.append(String.format(" %6s", period.label()));
            }
        }
        line.append(" | lag");
        for (String stage : PipelineStatus.GROUPS.keySet()) {
            line.append(String.format(" %7s", stage));
        }
        return line.toString();
    }

    static String of(LocalTime time, PipelineStatus.Snapshot snapshot, double pricesPerSecond) {
        StringBuilder line = new StringBuilder(String.format("%-8s %10s %8.0f", time,
                snapshot.prices() < 0 ? "kafka?" : String.valueOf(snapshot.prices()), pricesPerSecond));
        for (Map<CandlePeriod, Long> lines : snapshot.linesByInstance().values()) {
            line.append(String.format(" | %-10s", ""));
            for (CandlePeriod period : CandlePeriod.values()) {
                line.append(String.format(" %6d", lines.get(period)));
            }
        }
        line.append(" |    ");
        for (String stage : PipelineStatus.GROUPS.keySet()) {
            Long lag = snapshot.lagByStage().get(stage);
            line.append(String.format(" %7s", lag == null ? "?" : lag < 0 ? "-" : String.valueOf(lag)));
        }
        return line.toString();
    }
}
