package io.distgate.bridge.dist;

/** Erlang cannot mix short ({@code -sname}) and long ({@code -name}) node names in one connection. */
public enum NameMode {
    SHORT("shortnames", "-sname"),
    LONG("longnames", "-name");

    private final String configName;
    private final String flag;

    NameMode(String configName, String flag) {
        this.configName = configName;
        this.flag = flag;
    }

    /** The word used in configuration files and by {@code net_kernel}: shortnames or longnames. */
    public String configName() {
        return configName;
    }

    /** The {@code erl} flag that starts a node in this mode. */
    public String erlFlag() {
        return flag;
    }

    public static NameMode fromConfig(String text) {
        for (NameMode mode : values()) {
            if (mode.configName.equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("expected shortnames or longnames, got '" + text + "'");
    }
}
