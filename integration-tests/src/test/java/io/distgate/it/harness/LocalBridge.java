package io.distgate.it.harness;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.ErlangSite;
import io.distgate.gateway.local.FreePorts;
import io.distgate.gateway.local.GatewayProcess;
import io.distgate.gateway.local.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Both sites served by one gateway process (transport {@code local}, issue #2). */
public final class LocalBridge implements TwoSites {

    private final ErlangSite siteA;
    private final ErlangSite siteB;
    private final int nameServiceA;
    private final int nameServiceB;
    private final Path config;
    private GatewayProcess gateway;

    private LocalBridge(NameMode mode, String extraA, String extraB) {
        nameServiceA = FreePorts.probe();
        nameServiceB = FreePorts.probe();
        siteA = ErlangSite.startWithGateway("A", mode, COOKIE_A, "127.0.0.1:" + nameServiceA);
        siteB = ErlangSite.startWithGateway("B", mode, COOKIE_B, "127.0.0.1:" + nameServiceB);
        config = Processes.tempDir("distgate-local").resolve("gateway.yaml");
        write(config, yaml(mode, extraA, extraB));
        startGateways();
    }

    public static LocalBridge start(NameMode mode) {
        return new LocalBridge(mode, "", "");
    }

    /** With extra keys per site, indented as site keys (e.g. {@code "    net_ticktime: 4s\n"}). */
    public static LocalBridge start(NameMode mode, String extraA, String extraB) {
        return new LocalBridge(mode, extraA, extraB);
    }

    private String yaml(NameMode mode, String extraA, String extraB) {
        return "sites:\n"
                + site("a", COOKIE_A, mode, "a*", siteA.epmd().port(), nameServiceA, extraA)
                + site("b", COOKIE_B, mode, "b*", siteB.epmd().port(), nameServiceB, extraB)
                + "metrics:\n  listen: 127.0.0.1:0\n";
    }

    public static String site(String name, String cookie, NameMode mode, String pattern, int epmd, int nameService, String extra) {
        return "  - name: " + name + "\n"
                + "    cookie: " + cookie + "\n"
                + "    node_names: " + mode.configName() + "\n"
                + "    nodes: [\"" + pattern + "\"]\n"
                + "    epmd_port: " + epmd + "\n"
                + "    name_service: {listen: \"127.0.0.1:" + nameService + "\"}\n"
                + extra;
    }

    public static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String transport() {
        return "local";
    }

    @Override
    public ErlangSite siteA() {
        return siteA;
    }

    @Override
    public ErlangSite siteB() {
        return siteB;
    }

    @Override
    public GatewayProcess gatewayOf(String site) {
        return gateway;
    }

    @Override
    public List<GatewayProcess> gateways() {
        return List.of(gateway);
    }

    @Override
    public String nameService(String site) {
        return "127.0.0.1:" + (site.equals("a") ? nameServiceA : nameServiceB);
    }

    @Override
    public void stopGateways() {
        gateway.stop();
    }

    @Override
    public void startGateways() {
        gateway = GatewayProcess.start("local", TwoSites.jar(), config, Duration.ofSeconds(30), "-Xmx256m");
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.stop();
        }
        siteA.close();
        siteB.close();
    }
}
