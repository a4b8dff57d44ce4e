package io.candles.query.live;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.candles.domain.Series;
import io.candles.query.api.RequestParameters;
import io.candles.wire.CandleJson;
import io.smallrye.mutiny.Multi;

/**
 * Server-Sent Events: every candle of one series as it is stored, pushed (no polling). Usable without the page:
 * {@code curl -N 'localhost:8083/api/candles/stream?ticker=SBER&period=1m'}.
 */
@Path("/api/candles/stream")
@Tag(name = "candles")
public class CandleStreamResource {

    /** A comment line this often keeps idle connections open through proxies and shows a client the server is there. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final LiveCandles live;

    @Context
    Sse sse;

    @Inject
    CandleStreamResource(LiveCandles live) {
        this.live = live;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Candles of one series as they are stored (Server-Sent Events)",
            description = "Each event is named `candle` and its data is one candle in the form the candles topic "
                    + "carries. A comment line every 15 s keeps the connection open. Any ticker may be followed, "
                    + "also one with no candle yet. History is not replayed: read it with GET /api/candles.")
    @APIResponse(responseCode = "200", description = "An endless text/event-stream")
    @APIResponse(responseCode = "400", description = "A parameter is missing or bad; the body names it")
    public Multi<OutboundSseEvent> stream(
            @Parameter(description = "Ticker, e.g. SBER", required = true) @QueryParam("ticker") String ticker,
            @Parameter(description = "1m, 2m or 10m", required = true) @QueryParam("period") String period) {
        Series series = RequestParameters.series(ticker, period);
        Multi<OutboundSseEvent> candles = live.of(series).map(candle -> sse.newEventBuilder().name("candle")
                .mediaType(MediaType.TEXT_PLAIN_TYPE) // the data is already JSON text: written as it is
                .data(new String(CandleJson.write(candle), StandardCharsets.UTF_8)).build());
        // The first comment at once: headers and a first line reach the client now, so it knows it is connected.
        Multi<OutboundSseEvent> keepAlive = Multi.createBy().concatenating().streams(
                Multi.createFrom().item(0L), Multi.createFrom().ticks().every(KEEP_ALIVE))
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(candles, keepAlive);
    }
}
