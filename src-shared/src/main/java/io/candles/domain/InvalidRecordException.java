package io.candles.domain;

/**
 * A record that breaks the contract: a missing or malformed field, or a value outside its domain.
 * The message names the field and the offending value, so a dead-letter entry explains itself.
 */
public class InvalidRecordException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Longest part of an offending value that goes into a message; a payload can be megabytes. */
    private static final int MAX_QUOTED_CHARS = 100;

    public InvalidRecordException(String message) {
        super(message);
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Renders an offending text value for a message: {@code null}, or the value in double quotes with quotes,
     * backslashes and control characters escaped, cut after 100 characters.
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        int length = Math.min(value.length(), MAX_QUOTED_CHARS);
        StringBuilder quoted = new StringBuilder(length + 8).append('"');
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    // Surrogates escaped too: a lone one would make the message itself malformed.
                    if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        quoted.append('"');
        if (value.length() > length) {
            quoted.append("...");
        }
        return quoted.toString();
    }
}
