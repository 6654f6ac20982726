package io.distgate.it.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measurement: a workload on one path with its parameters and measured values, written as
 * one JSON line. Values are numbers or strings; non-finite numbers are written as null.
 */
record Measurement(String workload, String path, Map<String, Object> fields) {

    Measurement {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    static Builder of(String workload, String path) {
        return new Builder(workload, path);
    }

    double number(String key) {
        Object value = fields.get(key);
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    Object get(String key) {
        return fields.get(key);
    }

    String json(String run) {
        StringBuilder out = new StringBuilder("{");
        field(out, "run", run);
        out.append(',');
        field(out, "workload", workload);
        out.append(',');
        field(out, "path", path);
        fields.forEach((key, value) -> {
            out.append(',');
            field(out, key, value);
        });
        return out.append('}').toString();
    }

    private static void field(StringBuilder out, String key, Object value) {
        out.append(quote(key)).append(':');
        if (value instanceof Double d) {
            out.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.3f", d));
        } else if (value instanceof Number n) {
            out.append(n);
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value == null) {
            out.append("null");
        } else {
            out.append(quote(value.toString()));
        }
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    static final class Builder {
        private final String workload;
        private final String path;
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Builder(String workload, String path) {
            this.workload = workload;
            this.path = path;
        }

        Builder put(String key, Object value) {
            fields.put(key, value);
            return this;
        }

        Measurement build() {
            return new Measurement(workload, path, fields);
        }
    }
}
