package io.distgate.gateway.config;

/**
 * A configuration problem; the message starts with the key it is about (e.g. {@code sites[0].cookie_file}).
 * A problem with the file as a whole (missing, empty, not YAML) has an empty key and is the message alone.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String problem;

    public ConfigException(String key, String problem) {
        super(key.isEmpty() ? problem : key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }

    /** The same problem, with the key placed under {@code parent}. */
    public ConfigException under(String parent) {
        if (parent == null || parent.isEmpty()) {
            return this;
        }
        return new ConfigException(key.isEmpty() ? parent : parent + "." + key, problem);
    }
}
