package io.distgate.gateway.cli;

import io.distgate.gateway.config.ConfigLoader;
import io.distgate.gateway.config.Durations;
import io.distgate.gateway.config.GatewayConfig;
import io.distgate.gateway.config.SiteConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code distgate check --config FILE}: validates and prints the effective settings, secrets masked. */
@Command(name = "check", description = "Validate a configuration file and print the effective settings.")
final class CheckCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "YAML configuration file")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        GatewayConfig cfg = ConfigLoader.load(config);
        for (SiteConfig s : cfg.sites()) {
            s.toSettings(); // reads the cookie file, so a bad one fails here and not at start
        }
        if (cfg.tunnel() != null) {
            // Loads and checks the certificate, key and CA files as `run` would.
            var tls = cfg.tunnel().tls();
            io.distgate.tls.TlsFiles.load(new io.distgate.tls.TlsSettings(tls.cert(), tls.key(), tls.ca(),
                    io.distgate.tls.TlsProvider.valueOf(tls.provider().toUpperCase(java.util.Locale.ROOT)),
                    tls.allowTls12(), cfg.tunnel().handshakeTimeout()));
        }
        var out = spec.commandLine().getOut();
        out.println("# " + config + ": valid. Effective settings (secrets masked):");
        out.println("sites:");
        for (SiteConfig s : cfg.sites()) {
            out.println("  - name: " + s.name());
            out.println(s.cookie() != null ? "    cookie: \"****\"" : "    cookie_file: " + s.cookieFile());
            out.println("    node_names: " + s.nodeNames());
            out.println("    nodes: " + s.nodes());
            out.println("    epmd_port: " + s.epmdPort());
            out.println("    net_ticktime: " + Durations.format(s.netTicktime()));
            out.println("    net_setuptime: " + Durations.format(s.netSetuptime()));
            out.println("    visibility: " + s.visibility());
            out.println("    name_service:");
            out.println("      listen: " + s.nameService().listen());
            out.println("    proxy:");
            out.println("      idle_timeout: " + Durations.format(s.proxy().idleTimeout()));
        }
        if (!cfg.peers().isEmpty()) {
            out.println("peers:");
            for (var p : cfg.peers()) {
                out.println("  - site: " + p.site());
                out.println("    nodes: " + p.nodes());
                out.println("    dial: " + (p.dial() != null ? p.dial() : "(none: the peer dials this gateway)"));
            }
            var t = cfg.tunnel();
            out.println("tunnel:");
            out.println("  transport: " + t.transport());
            out.println("  listen: " + (t.listen() != null ? t.listen() : "(none: dial only)"));
            out.println("  tls: {cert: " + t.tls().cert() + ", key: " + t.tls().key() + ", ca: " + t.tls().ca()
                    + ", provider: " + t.tls().provider() + ", allow_tls12: " + t.tls().allowTls12() + "}");
            out.println("  ping_interval: " + Durations.format(t.pingInterval()));
            out.println("  dead_after: " + Durations.format(t.deadAfter()));
            out.println("  handshake_timeout: " + Durations.format(t.handshakeTimeout()));
            out.println("  reconnect_min: " + Durations.format(t.reconnectMin()));
            out.println("  reconnect_max: " + Durations.format(t.reconnectMax()));
            out.println("  stream_window: " + t.streamWindow());
            out.println("  connection_window: " + t.connectionWindow());
            out.println("  drain_timeout: " + Durations.format(t.drainTimeout()));
            out.println("  lookup_timeout: " + Durations.format(t.lookupTimeout()));
        }
        out.println("metrics:");
        out.println("  listen: " + cfg.metrics().listen());
        return 0;
    }
}
