package io.candles.query.api;

import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.candles.domain.CandlePeriod;
import io.candles.domain.Series;
import io.candles.wire.IsoInstants;

/** The read API: candles of a series, the newest candle of every ticker, the known tickers. JSON. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "candles", description = "OHLC candles as stored in QuestDB")
public class CandleResource {

    private final CandleReads reads;

    @Inject
    CandleResource(CandleReads reads) {
        this.reads = reads;
    }

    @GET
    @Path("/candles")
    @Operation(summary = "Candles of one series, oldest first",
            description = "With from: the oldest `limit` candles with from <= ts < to. Without from: the newest "
                    + "`limit` candles before to (or the newest of all). Each candle is in the form the candles "
                    + "topic carries; ts is the start of its window.")
    @APIResponse(responseCode = "200", description = "The candles (an empty array when the ticker has none of this "
            + "period)", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = WireCandle.class)))
    @APIResponse(responseCode = "400", description = "A parameter is missing or bad; the body names it",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No candle of this ticker is stored",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public byte[] candles(
            @Parameter(description = "Ticker, e.g. SBER", required = true) @QueryParam("ticker") String ticker,
            @Parameter(description = "1m, 2m or 10m", required = true) @QueryParam("period") String period,
            @Parameter(description = "ISO-8601 instant, inclusive") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant, exclusive") @QueryParam("to") String to,
            @Parameter(description = "At most this many candles: 1 to 10000, default 1000") @QueryParam("limit")
            String limit) throws SQLException {
        Series series = RequestParameters.series(ticker, period);
        Instant start = RequestParameters.instant("from", from);
        Instant end = RequestParameters.instant("to", to);
        int most = RequestParameters.limit(limit);
        RequestParameters.requireOrdered(start, end);
        return CandlesJson.array(reads.candles(series, start, end == null ? RequestParameters.END_OF_TIME : end, most));
    }

    @GET
    @Path("/candles/latest")
    @Operation(summary = "The newest candle of every ticker for one period, by ticker")
    @APIResponse(responseCode = "200", description = "One candle per ticker",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = WireCandle.class)))
    @APIResponse(responseCode = "400", description = "The period is missing or bad",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public byte[] latest(@Parameter(description = "1m, 2m or 10m", required = true) @QueryParam("period")
            String period) throws SQLException {
        return CandlesJson.array(reads.latest(RequestParameters.period(period)));
    }

    @GET
    @Path("/tickers")
    @Operation(summary = "The known tickers, each with the ts of its newest candle per period")
    public List<TickerView> tickers() {
        return reads.tickers().entrySet().stream().map(ticker -> {
            Map<String, String> newest = new LinkedHashMap<>();
            for (CandlePeriod period : CandlePeriod.values()) {
                Instant ts = ticker.getValue().get(period);
                if (ts != null) {
                    newest.put(period.label(), IsoInstants.formatMillis(ts));
                }
            }
            return new TickerView(ticker.getKey(), newest);
        }).toList();
    }

    /** A known ticker and the ts of its newest stored candle of each period it has. */
    @Schema(name = "Ticker")
    public record TickerView(
            @Schema(example = "SBER") String ticker,
            @Schema(description = "period label to the ts of its newest candle",
                    example = "{\"1m\":\"2026-11-21T16:07:00.000Z\",\"2m\":\"2026-11-21T16:06:00.000Z\"}")
            Map<String, String> newest) {
    }

    /** Documentation only: the API writes candles as the wire contract's JSON (CandleJson), not through this type. */
    @Schema(name = "Candle", properties = {
            @SchemaProperty(name = "ticker", type = SchemaType.STRING, example = "SBER"),
            @SchemaProperty(name = "period", type = SchemaType.STRING, enumeration = {"1m", "2m", "10m"}),
            @SchemaProperty(name = "open", type = SchemaType.NUMBER, example = "201.182413"),
            @SchemaProperty(name = "high", type = SchemaType.NUMBER, example = "213.934383"),
            @SchemaProperty(name = "low", type = SchemaType.NUMBER, example = "201.182413"),
            @SchemaProperty(name = "close", type = SchemaType.NUMBER, example = "207.613144"),
            @SchemaProperty(name = "ts", type = SchemaType.STRING, format = "date-time",
                    description = "start of the candle's window, UTC", example = "2026-11-21T16:07:00.000Z")})
    interface WireCandle {
    }
}
