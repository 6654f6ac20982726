package io.distgate.it.harness;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.ErlangSite;
import io.distgate.gateway.local.FreePorts;
import io.distgate.gateway.local.GatewayProcess;
import io.distgate.gateway.local.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One gateway process per site: sites a and b with their own epmd, and gateway A dialling
 * gateway B. Subclasses write the two configurations ({@link #configA}, {@link #configB}) for
 * their transport, own whatever stands between the gateways, and call {@link #startGateways()}.
 */
abstract class GatewayPair implements TwoSites {

    private static final Duration START_BOUND = Duration.ofSeconds(30);

    protected final NameMode mode;
    protected final ErlangSite siteA;
    protected final ErlangSite siteB;
    protected final Path dir;
    protected final Path configA;
    protected final Path configB;
    private final String label;
    private final int nameServiceA = FreePorts.probe();
    private final int nameServiceB = FreePorts.probe();
    private GatewayProcess gatewayA;
    private GatewayProcess gatewayB;

    protected GatewayPair(String label, NameMode mode) {
        this.label = label;
        this.mode = mode;
        dir = Processes.tempDir("distgate-" + label);
        configA = dir.resolve("a.yaml");
        configB = dir.resolve("b.yaml");
        siteA = ErlangSite.startWithGateway("A", mode, COOKIE_A, "127.0.0.1:" + nameServiceA);
        siteB = ErlangSite.startWithGateway("B", mode, COOKIE_B, "127.0.0.1:" + nameServiceB);
    }

    /** The {@code sites:} section of {@code site}'s configuration ("a" or "b"). */
    protected String sitesYaml(String site) {
        boolean a = site.equals("a");
        return "sites:\n" + LocalBridge.site(site, a ? COOKIE_A : COOKIE_B, mode, site + "*",
                (a ? siteA : siteB).epmd().port(), a ? nameServiceA : nameServiceB, "");
    }

    /** Log tails of whatever links the gateways, for a tunnel that did not come up. */
    protected String linkDiagnostics() {
        return "";
    }

    /** Stops whatever links the gateways (relay, sshd). */
    protected abstract void closeLink();

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
        startGateway("b");
        startGateway("a");
        awaitTunnel();
    }

    /** Starts one side's gateway again (after {@link GatewayProcess#stop()}). */
    public GatewayProcess startGateway(String site) {
        GatewayProcess g = GatewayProcess.start(label + "-" + site, TwoSites.jar(), site.equals("a") ? configA : configB,
                START_BOUND, "-Xmx256m");
        if (site.equals("a")) {
            gatewayA = g;
        } else {
            gatewayB = g;
        }
        return g;
    }

    /** Waits until both gateways log the tunnel between them up (after their latest start). */
    public void awaitTunnel() {
        if (!gatewayA.awaitLog("tunnel up peer_site=b", START_BOUND)
                || !gatewayB.awaitLog("tunnel up peer_site=a", START_BOUND)) {
            throw new IllegalStateException("the " + transport() + " tunnel a -> b did not come up\n"
                    + gatewayA.logTail(40) + gatewayB.logTail(40) + linkDiagnostics());
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
        closeLink();
        siteA.close();
        siteB.close();
    }
}
