package io.distgate.gateway.local;

import io.distgate.bridge.dist.NameMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to start one {@link ErlangNode}: its name, cookie, EPMD port and the optional
 * distgate settings. {@link ErlangSite#nodeOptions(String)} pre-fills one for a site.
 */
public final class NodeOptions {
    /** Inherited variables that would change how erl or distgate_epmd behave. */
    private static final List<String> SCRUBBED_ENV = List.of(
            "ERL_FLAGS", "ERL_AFLAGS", "ERL_ZFLAGS", "ERL_LIBS", "ERL_EPMD_ADDRESS",
            "DISTGATE_GATEWAY", "DISTGATE_TIMEOUT");

    private final String alive;
    private final NameMode nameMode;
    private final String cookie;
    private final int epmdPort;
    private final List<Path> codePaths = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> extraArgs = new ArrayList<>();
    private boolean distgateEpmd;
    private String gateway;
    private Integer netTicktime;
    private boolean requireDistribution = true;
    private Duration startTimeout = Duration.ofSeconds(30);

    public NodeOptions(String alive, NameMode nameMode, String cookie, int epmdPort) {
        this.alive = alive;
        this.nameMode = nameMode;
        this.cookie = cookie;
        this.epmdPort = epmdPort;
        codePaths.add(ErlangTools.harnessEbin());
    }

    /** Adds a directory with {@code -pa}. */
    public NodeOptions codePath(Path ebin) {
        codePaths.add(ebin);
        return this;
    }

    /** Loads {@code -epmd_module distgate_epmd}; without a gateway it behaves like erl_epmd. */
    public NodeOptions distgateEpmd() {
        distgateEpmd = true;
        return this;
    }

    /** {@code -distgate_gateway host:port}, which implies {@link #distgateEpmd()}. */
    public NodeOptions gateway(String hostPort) {
        gateway = hostPort;
        return distgateEpmd();
    }

    public NodeOptions env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** {@code -kernel net_ticktime seconds}. */
    public NodeOptions netTicktime(int seconds) {
        netTicktime = seconds;
        return this;
    }

    /** Further erl arguments, placed before the agent is started. */
    public NodeOptions extraArgs(String... args) {
        extraArgs.addAll(List.of(args));
        return this;
    }

    /** Lets the node come up without distribution, for tests of a failing start. */
    public NodeOptions allowDistributionFailure() {
        requireDistribution = false;
        return this;
    }

    public NodeOptions startTimeout(Duration timeout) {
        startTimeout = timeout;
        return this;
    }

    public String fullName() {
        return fullName(alive, nameMode);
    }

    boolean requireDistribution() {
        return requireDistribution;
    }

    Duration startTimeout() {
        return startTimeout;
    }

    /**
     * The node is started without -sname/-name: dg_agent starts distribution from
     * -dg_name, so a failing start leaves a running node that can say why.
     */
    ProcessBuilder processBuilder() {
        List<String> command = new ArrayList<>(List.of(
                ErlangTools.erl().toString(), "-noshell",
                // Never let erl spawn an epmd daemon the harness would not own.
                "-start_epmd", "false",
                // Idle schedulers must not spin: many nodes share two cores in CI.
                "+sbwt", "none", "+sbwtdcpu", "none", "+sbwtdio", "none",
                "-setcookie", cookie,
                "-dg_name", fullName(), "-dg_name_domain", nameMode.configName()));
        codePaths.forEach(path -> command.addAll(List.of("-pa", path.toString())));
        if (distgateEpmd) {
            command.addAll(List.of("-epmd_module", "distgate_epmd"));
        }
        if (gateway != null) {
            command.addAll(List.of("-distgate_gateway", gateway));
        }
        if (netTicktime != null) {
            command.addAll(List.of("-kernel", "net_ticktime", netTicktime.toString()));
        }
        command.addAll(extraArgs);
        command.addAll(List.of("-s", "dg_agent", "start"));

        ProcessBuilder builder = new ProcessBuilder(command);
        SCRUBBED_ENV.forEach(builder.environment()::remove);
        builder.environment().put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        builder.environment().putAll(env);
        return builder;
    }

    /**
     * The full name local nodes get: {@code alive@localhost} for short names, {@code
     * alive@127.0.0.1} for long names (a long name needs a dot or an IP address), always loopback.
     */
    public static String fullName(String alive, NameMode mode) {
        return alive + "@" + (mode == NameMode.SHORT ? "localhost" : "127.0.0.1");
    }
}
