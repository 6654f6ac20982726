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
        out.println("metrics:");
        out.println("  listen: " + cfg.metrics().listen());
        return 0;
    }
}
