package io.candles.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.candles.domain.Candle;
import io.candles.wire.CandleCsv;

/**
 * Candles in the files against the expected ones, compared as CSV lines (the precision the files keep), keyed by
 * period, ticker and window start.
 *
 * @param missing    expected, closed, not in any file
 * @param duplicated keys written more than once (across all files and directories)
 * @param mismatched written with other values than expected (once, or in any copy of a duplicated key)
 * @param unexpected written but not expected (a window still open in the recomputation, or garbage)
 */
public record AuditReport(long prices, long expected, long matching, List<String> missing, List<String> duplicated,
        List<String> mismatched, List<String> unexpected, long latePrices, int openWindows) {

    public static AuditReport compare(long prices, ExpectedCandles expected, Map<String, List<String>> writtenByKey) {
        Map<String, String> wanted = new TreeMap<>();
        for (Candle candle : expected.closed()) {
            wanted.put(key(candle), CandleCsv.line(candle));
        }
        List<String> missing = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        long matching = 0;
        for (Map.Entry<String, String> entry : wanted.entrySet()) {
            List<String> lines = writtenByKey.getOrDefault(entry.getKey(), List.of());
            if (lines.isEmpty()) {
                missing.add(entry.getKey() + " " + entry.getValue());
            } else if (lines.size() > 1) {
                duplicated.add(entry.getKey() + " x" + lines.size());
                if (lines.stream().anyMatch(line -> !line.equals(entry.getValue()))) {
                    // A copy with other values is a wrong candle, whichever copy came first.
                    mismatched.add(entry.getKey() + " expected " + entry.getValue() + " written " + lines);
                }
            } else if (!lines.get(0).equals(entry.getValue())) {
                mismatched.add(entry.getKey() + " expected " + entry.getValue() + " written " + lines.get(0));
            } else {
                matching++;
            }
        }
        writtenByKey.forEach((key, lines) -> {
            if (!wanted.containsKey(key)) {
                unexpected.add(key + " " + lines);
                if (lines.size() > 1) {
                    duplicated.add(key + " x" + lines.size());
                }
            }
        });
        return new AuditReport(prices, wanted.size(), matching, missing, duplicated, mismatched, unexpected,
                expected.latePrices(), expected.openWindows());
    }

    public static String key(Candle candle) {
        return candle.period().label() + " " + candle.ticker() + " " + candle.ts();
    }

    /** Missing, duplicated or mismatched among closed windows, or any unexpected line: the pipeline is wrong. */
    public boolean failed() {
        return !missing.isEmpty() || !duplicated.isEmpty() || !mismatched.isEmpty() || !unexpected.isEmpty();
    }

    public String summary() {
        return String.format("prices %d, expected candles %d: matching %d, missing %d, duplicated %d, mismatched %d,"
                + " unexpected %d; late prices %d; windows still open at the end %d",
                prices, expected, matching, missing.size(), duplicated.size(), mismatched.size(), unexpected.size(),
                latePrices, openWindows);
    }

    /** The summary and up to {@code limit} examples of each problem. */
    public String details(int limit) {
        StringBuilder text = new StringBuilder(summary());
        Map<String, Collection<String>> problems = new HashMap<>();
        problems.put("missing", missing);
        problems.put("duplicated", duplicated);
        problems.put("mismatched", mismatched);
        problems.put("unexpected", unexpected);
        problems.forEach((name, list) -> list.stream().limit(limit)
                .forEach(line -> text.append(System.lineSeparator()).append("  ").append(name).append(": ")
                        .append(line)));
        return text.toString();
    }
}
