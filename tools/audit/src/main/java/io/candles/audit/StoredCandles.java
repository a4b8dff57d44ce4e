package io.candles.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.candles.domain.Candle;
import io.candles.domain.CandlePeriod;
import io.candles.domain.InvalidRecordException;
import io.candles.wire.CandleCsv;

/**
 * The candles query-app stored in QuestDB, read through QuestDB's CSV export ({@code /exp}) rather than through
 * query-app, so that the audit checks the table itself and shares no code with the app it checks.
 */
final class StoredCandles {

    static final String QUERY = "SELECT ticker, period, ts, open, high, low, close FROM candles";

    private StoredCandles() {
    }

    /** Adds every stored row, as the CSV line the files would hold, to {@code written} under its key. */
    static long read(String questDbHttpUrl, Map<String, List<String>> written) {
        URI export = URI.create(questDbHttpUrl.replaceAll("/+$", "") + "/exp?query="
                + URLEncoder.encode(QUERY, StandardCharsets.UTF_8));
        HttpResponse<InputStream> response;
        try {
            response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(export).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the candles table from QuestDB at " + questDbHttpUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading QuestDB", e);
        }
        long rows = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            String header = reader.readLine();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("QuestDB at " + questDbHttpUrl + " answered " + response.statusCode()
                        + " to " + QUERY + ": " + header);
            }
            for (String row = reader.readLine(); row != null; row = reader.readLine()) {
                if (!row.isBlank()) {
                    rows++;
                    add(row, written);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the candles table from QuestDB at " + questDbHttpUrl, e);
        }
        return rows;
    }

    /** One exported row: {@code "SBER","1m","2026-11-21T16:00:00.000000Z",200.0,201.0,199.5,200.5}. */
    static void add(String row, Map<String, List<String>> written) {
        String[] fields = row.split(",", -1);
        try {
            if (fields.length != 7) {
                throw new InvalidRecordException("expected 7 columns, found " + fields.length);
            }
            Candle candle = new Candle(unquote(fields[0]), CandlePeriod.parse(unquote(fields[1])),
                    Double.parseDouble(fields[3]), Double.parseDouble(fields[4]), Double.parseDouble(fields[5]),
                    Double.parseDouble(fields[6]), Instant.parse(unquote(fields[2])));
            written.computeIfAbsent(AuditReport.key(candle), k -> new ArrayList<>(1)).add(CandleCsv.line(candle));
        } catch (RuntimeException e) {
            written.computeIfAbsent("unreadable QuestDB row", k -> new ArrayList<>()).add(row + " (" + e.getMessage()
                    + ")");
        }
    }

    private static String unquote(String field) {
        return field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"")
                ? field.substring(1, field.length() - 1) : field;
    }
}
