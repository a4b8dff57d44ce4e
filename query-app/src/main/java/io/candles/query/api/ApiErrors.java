package io.candles.query.api;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns refusals into JSON answers: 400 naming the parameter, 404 for an unknown ticker, 503 while QuestDB is away. */
public class ApiErrors {

    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    @ServerExceptionMapper
    Response badParameter(BadParameterException e) {
        return answer(Response.Status.BAD_REQUEST, e.parameter(), e.value(), e.getMessage());
    }

    @ServerExceptionMapper
    Response unknownTicker(UnknownTickerException e) {
        return answer(Response.Status.NOT_FOUND, "ticker", e.ticker(), e.getMessage());
    }

    @ServerExceptionMapper
    Response storeUnavailable(java.sql.SQLException e) {
        LOG.warnf("A read from QuestDB failed: %s", e.getMessage());
        return answer(Response.Status.SERVICE_UNAVAILABLE, null, null, "QuestDB did not answer: " + e.getMessage());
    }

    static Response answer(Response.Status status, String parameter, String value, String message) {
        return Response.status(status)
                .entity(new ApiError(status.getStatusCode(), status.getReasonPhrase(), parameter, value, message))
                .type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON).build();
    }
}
