package io.candles.query.api;

/** A request parameter the API cannot take: answered 400 with a body that names it ({@link ApiError}). */
public final class BadParameterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String parameter;
    private final String value;

    public BadParameterException(String parameter, String value, String message) {
        super(message);
        this.parameter = parameter;
        this.value = value;
    }

    public String parameter() {
        return parameter;
    }

    public String value() {
        return value;
    }
}
