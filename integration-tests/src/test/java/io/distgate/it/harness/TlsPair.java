package io.distgate.it.harness;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.ErlangSite;
import io.distgate.gateway.local.FreePorts;
import io.distgate.gateway.local.GatewayProcess;
import io.distgate.gateway.local.Processes;
import io.distgate.tls.DevCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One gateway process per site, linked by mutual TLS + HTTP/2 (issue #3). Gateway A dials
 * gateway B through a {@link WanRelay}, so tests can add delay, cut, heal and stall the WAN.
 */
public final class TlsPair implements TwoSites {

    private final NameMode mode;
    private final ErlangSite siteA;
    private final ErlangSite siteB;
    private final int nameServiceA = FreePorts.probe();
    private final int nameServiceB = FreePorts.probe();
    private final int tunnelB = FreePorts.probe();
    private final Path dir = Processes.tempDir("distgate-tls");
    private final Path configA = dir.resolve("a.yaml");
    private final Path configB = dir.resolve("b.yaml");
    private final WanRelay relay;
    private GatewayProcess gatewayA;
    private GatewayProcess gatewayB;

    private TlsPair(NameMode mode, String tunnelExtra) {
        this.mode = mode;
        DevCa ca = DevCa.create();
        ca.writeTo(dir);
        ca.issueSite("a").writeTo(dir);
        ca.issueSite("b").writeTo(dir);
        try {
            relay = WanRelay.start("127.0.0.1", tunnelB);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        siteA = ErlangSite.startWithGateway("A", mode, COOKIE_A, "127.0.0.1:" + nameServiceA);
        siteB = ErlangSite.startWithGateway("B", mode, COOKIE_B, "127.0.0.1:" + nameServiceB);
        LocalBridge.write(configA, "sites:\n"
                + LocalBridge.site("a", COOKIE_A, mode, "a*", siteA.epmd().port(), nameServiceA, "")
                + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"" + relay.address() + "\"}\n"
                + tunnel(null, "a", tunnelExtra)
                + "metrics: {listen: \"127.0.0.1:0\"}\n");
        LocalBridge.write(configB, "sites:\n"
                + LocalBridge.site("b", COOKIE_B, mode, "b*", siteB.epmd().port(), nameServiceB, "")
                + "peers:\n  - {site: a, nodes: [\"a*\"]}\n"
                + tunnel("127.0.0.1:" + tunnelB, "b", tunnelExtra)
                + "metrics: {listen: \"127.0.0.1:0\"}\n");
        startGateways();
    }

    /** Both gateways with default tunnel settings, but a short reconnect cap so tests need not wait long. */
    public static TlsPair start(NameMode mode) {
        return new TlsPair(mode, "");
    }

    /** With extra tunnel keys for both gateways, indented as tunnel keys (e.g. {@code "  dead_after: 3s\n"}). */
    public static TlsPair start(NameMode mode, String tunnelExtra) {
        return new TlsPair(mode, tunnelExtra);
    }

    private String tunnel(String listen, String site, String extra) {
        return "tunnel:\n"
                + (listen != null ? "  listen: \"" + listen + "\"\n" : "")
                + "  reconnect_max: 1s\n"
                + "  tls: {cert: " + dir.resolve(site + ".crt") + ", key: " + dir.resolve(site + ".key")
                + ", ca: " + dir.resolve("ca.crt") + "}\n"
                + extra;
    }

    public WanRelay relay() {
        return relay;
    }

    /** Where the test certificates are (ca.crt, ca.key, a.crt, ...). */
    public Path certificates() {
        return dir;
    }

    /** The address gateway B accepts tunnels on (not through the relay). */
    public String tunnelAddressB() {
        return "127.0.0.1:" + tunnelB;
    }

    @Override
    public String transport() {
        return "tls";
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
        return site.equals("a") ? gatewayA : gatewayB;
    }

    @Override
    public List<GatewayProcess> gateways() {
        return List.of(gatewayA, gatewayB);
    }

    @Override
    public String nameService(String site) {
        return "127.0.0.1:" + (site.equals("a") ? nameServiceA : nameServiceB);
    }

    @Override
    public void stopGateways() {
        gatewayA.stop();
        gatewayB.stop();
    }

    @Override
    public void startGateways() {
        gatewayB = startGateway("b");
        gatewayA = startGateway("a");
        awaitTunnel();
    }

    /** Starts one side's gateway again (after {@link GatewayProcess#stop()}). */
    public GatewayProcess startGateway(String site) {
        GatewayProcess g = GatewayProcess.start("tls-" + site, TwoSites.jar(), site.equals("a") ? configA : configB,
                Duration.ofSeconds(30), "-Xmx256m");
        if (site.equals("a")) {
            gatewayA = g;
        } else {
            gatewayB = g;
        }
        return g;
    }

    /** Waits until gateway A logs its tunnel to B up (after the latest start). */
    public void awaitTunnel() {
        if (!gatewayA.awaitLog("tunnel up peer_site=b", Duration.ofSeconds(30))) {
            throw new IllegalStateException("the tunnel a -> b did not come up\n" + gatewayA.logTail(40) + gatewayB.logTail(40));
        }
    }

    @Override
    public void close() {
        if (gatewayA != null) {
            gatewayA.stop();
        }
        if (gatewayB != null) {
            gatewayB.stop();
        }
        relay.close();
        siteA.close();
        siteB.close();
    }
}
