package io.candles.localpipeline;

import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What the command-line tools share: option parsing with usage on error, quiet Kafka clients. */
public final class CommandLine {

    private CommandLine() {
    }

    /**
     * Parses the options; a parser returns null for {@code --help}. On a parse error prints the reason and the usage
     * and exits with 2; on help prints the usage and returns empty.
     */
    public static <T> Optional<T> parseOrExit(String tool, String[] args, Function<String[], T> parser,
            String usage) {
        // Kafka clients log through slf4j -> java.util.logging here; their INFO lines would drown the output.
        Logger.getLogger("org.apache.kafka").setLevel(Level.WARNING);
        T options;
        try {
            options = parser.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(tool + ": " + e.getMessage());
            System.err.println(usage);
            System.exit(2);
            return Optional.empty();
        }
        if (options == null) {
            System.out.println(usage);
        }
        return Optional.ofNullable(options);
    }

    /** The value after option {@code args[index - 1]}. */
    public static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
