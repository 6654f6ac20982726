package io.distgate.it.harness;

import java.util.Map;

/** Reads values out of a Prometheus text scrape, for assertions. */
public final class Prom {

    private Prom() {
    }

    /**
     * The sum of every sample of {@code metric} whose labels include all of {@code labels}
     * (0 when there is none).
     */
    public static double sum(String scrape, String metric, Map<String, String> labels) {
        double total = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(metric)) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = brace >= 0 ? line.substring(0, brace) : line.substring(0, space);
            if (!name.equals(metric)) {
                continue;
            }
            String labelText = brace >= 0 ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            boolean all = labels.entrySet().stream()
                    .allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (all) {
                total += Double.parseDouble(line.substring(space + 1));
            }
        }
        return total;
    }

    public static boolean has(String scrape, String metric) {
        return scrape.lines().anyMatch(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "));
    }
}
