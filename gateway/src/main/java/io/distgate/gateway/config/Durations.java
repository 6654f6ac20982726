package io.distgate.gateway.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in configuration files: a number with a unit ({@code 500ms}, {@code 7s}, {@code 10m},
 * {@code 1h}), or a plain number of seconds, as Erlang's net_ticktime is written.
 */
public final class Durations {

    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private Durations() {
    }

    public static Duration parse(String key, String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new ConfigException(key, "'" + text + "' is not a duration (write e.g. 500ms, 7s, 10m, 1h, or seconds)");
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        try {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
            d.toMillis(); // callers compare in milliseconds; refuse what does not fit
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(key, "'" + text + "' is too long a duration");
        }
    }

    /** The shortest text {@link #parse} reads back as {@code d}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
