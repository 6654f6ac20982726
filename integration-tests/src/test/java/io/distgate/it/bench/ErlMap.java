package io.distgate.it.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the flat maps dg_bench returns, as the agent prints them: {@code #{bytes => 1,samples => "1,2"}}. */
final class ErlMap {

    private static final Pattern ENTRY = Pattern.compile("(\\w+) => (\"[^\"]*\"|-?\\d+)");

    private ErlMap() {
    }

    static Map<String, String> parse(String printed) {
        Map<String, String> entries = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(printed);
        while (m.find()) {
            entries.put(m.group(1), m.group(2));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("not a dg_bench result map: " + printed);
        }
        return entries;
    }

    static long number(Map<String, String> map, String key) {
        String value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("no " + key + " in " + map);
        }
        return Long.parseLong(value);
    }
}
