package io.candles.wire;

import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.core.io.NumberOutput;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * The compact shape that {@link PriceJson} and {@link CandleJson} write, read and written straight from and to
 * bytes: one object, known field names, no whitespace, short ASCII strings without escapes, short plain JSON numbers.
 * A profile of the consumer showed Jackson's per-record set-up (parser, buffers, BOM detection) and the JDK's double
 * parsing as the largest part of the 1m stage.
 *
 * <p>Reading gives up on anything else ({@link #atEnd()} is then false) and the caller reads the record again with
 * Jackson, which reads any other JSON within its limits and names what is wrong. The caller builds the record with
 * the same constructor as its Jackson path, so the two paths give the same record or the same error; {@code
 * CompactJsonTest} checks that on random and damaged records.
 */
final class CompactJson {

    /**
     * Longer strings and numbers go to Jackson, which enforces its own length limits. The writers produce at most 24
     * characters per number ({@code -2.2250738585072014E-308}).
     */
    private static final int MAX_LENGTH = 256;

    private final byte[] in;
    private int at;
    private boolean ok = true;

    CompactJson(byte[] in) {
        this.in = in;
    }

    /** Field names as the bytes between the quotes. */
    static byte[][] names(String... names) {
        byte[][] bytes = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            bytes[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }

    /** Consumes {@code {}; false (and not ok) if the input does not start with it. */
    boolean startObject() {
        return expect('{');
    }

    /** Consumes {@code "name":} and returns the index of the name in {@code names}; -1 (and not ok) otherwise. */
    int field(byte[][] names) {
        if (!expect('"')) {
            return -1;
        }
        for (int i = 0; i < names.length; i++) {
            byte[] name = names[i];
            int end = at + name.length;
            if (end + 1 < in.length && in[end] == '"' && in[end + 1] == ':'
                    && Arrays.equals(in, at, end, name, 0, name.length)) {
                at = end + 2;
                return i;
            }
        }
        ok = false;
        return -1;
    }

    /** Consumes {@code ,} (true: another field follows) or {@code }} (false); anything else is not ok. */
    boolean nextField() {
        if (ok && at < in.length) {
            byte next = in[at++];
            if (next == ',') {
                return true;
            }
            if (next == '}') {
                return false;
            }
        }
        ok = false;
        return false;
    }

    /** True if ok and all input is consumed. */
    boolean atEnd() {
        return ok && at == in.length;
    }

    /**
     * A string of at most {@link #MAX_LENGTH} printable ASCII characters without escapes; null (and not ok) for
     * anything else, e.g. null or a number.
     */
    String string() {
        if (!expect('"')) {
            return null;
        }
        int start = at;
        while (at < in.length && at - start <= MAX_LENGTH) {
            byte next = in[at];
            if (next == '"') {
                at++;
                return new String(in, start, at - 1 - start, StandardCharsets.ISO_8859_1);
            }
            if (next < 0x20 || next > 0x7e || next == '\\') {
                break; // control characters, escapes and UTF-8: Jackson's job
            }
            at++;
        }
        ok = false;
        return null;
    }

    /**
     * A JSON number ({@code -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?}) of at most {@link #MAX_LENGTH} characters, read as
     * Jackson reads it; NaN (and not ok) otherwise.
     */
    double number() {
        int start = at;
        skip('-');
        if (!skip('0') && !digits()) {
            return fail(); // no digit, or NaN and Infinity, which Jackson reads as numbers for the contract's message
        }
        boolean integer = true;
        if (skip('.')) {
            integer = false;
            if (!digits()) {
                return fail();
            }
        }
        if (skip('e') || skip('E')) {
            integer = false;
            if (!skip('+')) {
                skip('-');
            }
            if (!digits()) {
                return fail();
            }
        }
        if (!ok || at - start > MAX_LENGTH) {
            return fail();
        }
        // Jackson's own correctly rounded parser (FastDoubleParser): the same double as Double.parseDouble, faster.
        double value = NumberInput.parseDouble(new String(in, start, at - start, StandardCharsets.ISO_8859_1), true);
        // Jackson reads an integer as an integer first: -0 becomes 0, not -0.0.
        return integer ? value + 0.0 : value;
    }

    /** An ISO-8601 instant as a string; null (and not ok) if it is not one. */
    Instant instant() {
        String text = string();
        if (text == null) {
            return null;
        }
        try {
            return IsoInstants.parse(text);
        } catch (DateTimeParseException e) {
            ok = false; // Jackson's path reports it with the field's name
            return null;
        }
    }

    private double fail() {
        ok = false;
        return Double.NaN;
    }

    private boolean expect(char expected) {
        if (ok && at < in.length && in[at] == expected) {
            at++;
            return true;
        }
        ok = false;
        return false;
    }

    private boolean skip(char optional) {
        if (ok && at < in.length && in[at] == optional) {
            at++;
            return true;
        }
        return false;
    }

    /** One or more ASCII digits. */
    private boolean digits() {
        int start = at;
        while (at < in.length && in[at] >= '0' && in[at] <= '9') {
            at++;
        }
        return at > start;
    }

    /** True if {@code text} can be written between quotes as it is: printable ASCII, no quote, no backslash. */
    static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Builds the compact shape; the caller checks {@link #plain} for strings that are not its own constants. */
    static final class Writer {

        private byte[] out;
        private int size;

        Writer(int capacity) {
            out = new byte[capacity];
        }

        /** Appends ASCII text as it is. */
        Writer ascii(String text) {
            int length = text.length();
            if (size + length > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, size + length));
            }
            for (int i = 0; i < length; i++) {
                out[size++] = (byte) text.charAt(i);
            }
            return this;
        }

        /** Appends a finite double as Jackson does with {@code USE_FAST_DOUBLE_WRITER} (shortest form). */
        Writer number(double value) {
            return ascii(NumberOutput.toString(value, true));
        }

        byte[] toBytes() {
            return Arrays.copyOf(out, size);
        }
    }
}
