package io.distgate.it.bench;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.ErlangNode;
import io.distgate.gateway.local.ErlangSite;
import io.distgate.gateway.local.FreePorts;
import io.distgate.gateway.local.GatewayProcess;
import io.distgate.gateway.local.Processes;
import io.distgate.gateway.ssh.SshKeyType;
import io.distgate.gateway.ssh.SshKeys;
import io.distgate.it.harness.LocalBridge;
import io.distgate.it.harness.TwoSites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Two sites with different cookies, one gateway process per site, gateway A dialling gateway B
 * directly (no WAN relay in between, unlike the harness's TlsPair and SshPair): the deployment
 * the benchmark measures. Node A (a1) is in site A, node B (b1) in site B.
 */
final class DistgatePath extends BenchPath {

    enum Variant {
        TLS_OPENSSL("distgate_tls_openssl", "distgate tls (OpenSSL)"),
        TLS_JDK("distgate_tls_jdk", "distgate tls (JDK)"),
        SSH("distgate_ssh", "distgate ssh");

        final String id;
        final String label;

        Variant(String id, String label) {
            this.id = id;
            this.label = label;
        }
    }

    private static final Duration READY_BOUND = Duration.ofSeconds(60);
    /** Stands for the gateway's side (a or b) in a JVM option, e.g. a flight recording's file name. */
    static final String SIDE = "{side}";

    private final Variant variant;
    private final ErlangSite siteA;
    private final ErlangSite siteB;
    private final Path dir = Processes.tempDir("distgate-bench-gw");
    private final int nameServiceA = FreePorts.probe();
    private final int nameServiceB = FreePorts.probe();
    private final List<String> jvmArgs;
    private GatewayProcess gatewayA;
    private GatewayProcess gatewayB;

    /**
     * @param idSuffix    appended to the variant's id and label (for a profiled run, say), or empty
     * @param jvmArgs     the gateways' JVM options; {@value #SIDE} in an option becomes a or b
     * @param tunnelExtra more keys of the tunnel section for both gateways, each line indented by two spaces
     */
    DistgatePath(Variant variant, String idSuffix, BenchFiles files, List<String> jvmArgs, String tunnelExtra) {
        this(variant, idSuffix, files, jvmArgs, tunnelExtra, TwoSites.jar());
    }

    /** As above, with another build of the gateway (a before-and-after comparison in one run). */
    DistgatePath(Variant variant, String idSuffix, BenchFiles files, List<String> jvmArgs, String tunnelExtra, Path jar) {
        super(variant.id + idSuffix, variant.label + idSuffix.replace('_', ' '));
        this.variant = variant;
        this.jvmArgs = List.copyOf(jvmArgs);
        siteA = ErlangSite.startWithGateway("A", NameMode.SHORT, TwoSites.COOKIE_A, "127.0.0.1:" + nameServiceA);
        siteB = ErlangSite.startWithGateway("B", NameMode.SHORT, TwoSites.COOKIE_B, "127.0.0.1:" + nameServiceB);
        try {
            writeConfigs(files, tunnelExtra);
            gatewayB = GatewayProcess.start(id() + "-b", jar, dir.resolve("b.yaml"), READY_BOUND, jvmArgsOf("b"));
            gatewayA = GatewayProcess.start(id() + "-a", jar, dir.resolve("a.yaml"), READY_BOUND, jvmArgsOf("a"));
            if (!gatewayA.awaitLog("tunnel up peer_site=b", READY_BOUND)) {
                throw new IllegalStateException(id() + ": the tunnel a -> b did not come up\n" + gatewayA.logTail(40) + gatewayB.logTail(40));
            }
            b = siteB.startNode(files.node(siteB, "b1"));
            a = siteA.startNode(files.node(siteA, "a1"));
            a2 = siteA.startNode(files.secondA(siteA));
            connect();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void writeConfigs(BenchFiles files, String tunnelExtra) {
        String siteAYaml = LocalBridge.site("a", TwoSites.COOKIE_A, NameMode.SHORT, "a*", siteA.epmd().port(), nameServiceA, "");
        String siteBYaml = LocalBridge.site("b", TwoSites.COOKIE_B, NameMode.SHORT, "b*", siteB.epmd().port(), nameServiceB, "");
        String metrics = "metrics: {listen: \"127.0.0.1:0\"}\n";
        if (variant == Variant.SSH) {
            int sshB = FreePorts.probe();
            String ports = "ssh: {stream_port: " + FreePorts.probe() + ", reverse_port: " + FreePorts.probe() + "}";
            KeyPair clientA = SshKeys.generate(SshKeyType.ED25519);
            KeyPair hostB = SshKeys.generate(SshKeyType.ED25519);
            SshKeys.write(clientA, dir.resolve("a_ed25519"), "site-a");
            SshKeys.write(hostB, dir.resolve("ssh_host_ed25519_key"), "gateway-b");
            try {
                Files.writeString(dir.resolve("authorized_keys"), SshKeys.authorizedKeysLine(clientA.getPublic(), "a") + "\n");
                Files.writeString(dir.resolve("known_hosts"), SshKeys.knownHostsLine("127.0.0.1", sshB, hostB.getPublic()) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LocalBridge.write(dir.resolve("a.yaml"), "sites:\n" + siteAYaml
                    + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"127.0.0.1:" + sshB + "\", " + ports + "}\n"
                    + "tunnel:\n  transport: ssh\n"
                    + "  ssh: {identity: " + dir.resolve("a_ed25519") + ", known_hosts: " + dir.resolve("known_hosts") + "}\n"
                    + tunnelExtra + metrics);
            LocalBridge.write(dir.resolve("b.yaml"), "sites:\n" + siteBYaml
                    + "peers:\n  - {site: a, nodes: [\"a*\"], " + ports + "}\n"
                    + "tunnel:\n  transport: ssh\n  listen: \"127.0.0.1:" + sshB + "\"\n"
                    + "  ssh: {host_key: " + dir.resolve("ssh_host_ed25519_key") + ", authorized_keys: "
                    + dir.resolve("authorized_keys") + "}\n"
                    + tunnelExtra + metrics);
            return;
        }
        int tunnelB = FreePorts.probe();
        String provider = variant == Variant.TLS_JDK ? "jdk" : "openssl";
        LocalBridge.write(dir.resolve("a.yaml"), "sites:\n" + siteAYaml
                + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"127.0.0.1:" + tunnelB + "\"}\n"
                + tlsTunnel(files, "a", provider, null) + tunnelExtra + metrics);
        LocalBridge.write(dir.resolve("b.yaml"), "sites:\n" + siteBYaml
                + "peers:\n  - {site: a, nodes: [\"a*\"]}\n"
                + tlsTunnel(files, "b", provider, "127.0.0.1:" + tunnelB) + tunnelExtra + metrics);
    }

    private static String tlsTunnel(BenchFiles files, String side, String provider, String listen) {
        return "tunnel:\n"
                + (listen != null ? "  listen: \"" + listen + "\"\n" : "")
                + "  tls: {cert: " + files.cert(side) + ", key: " + files.key(side) + ", ca: " + files.caFile()
                + ", provider: " + provider + "}\n";
    }

    private String[] jvmArgsOf(String side) {
        return jvmArgs.stream().map(arg -> arg.replace(SIDE, side)).toArray(String[]::new);
    }

    Variant variant() {
        return variant;
    }

    List<String> jvmArgs() {
        return jvmArgs;
    }

    ErlangSite siteB() {
        return siteB;
    }

    /** Where site A's nodes ask for names (host:port). */
    String nameServiceA() {
        return "127.0.0.1:" + nameServiceA;
    }

    GatewayProcess gatewayA() {
        return gatewayA;
    }

    GatewayProcess gatewayB() {
        return gatewayB;
    }

    @Override
    List<GatewayProcess> gateways() {
        return List.of(gatewayA, gatewayB);
    }

    @Override
    List<Long> processes() {
        List<Long> pids = new ArrayList<>(List.of(a.pid(), b.pid()));
        gateways().forEach(g -> pids.add(g.pid()));
        return pids;
    }

    /** Stops both gateways (SIGTERM), so a flight recording started with them is written. */
    void stopGateways() {
        if (gatewayA != null) {
            gatewayA.stop();
        }
        if (gatewayB != null) {
            gatewayB.stop();
        }
    }

    @Override
    public void close() {
        siteA.close();
        siteB.close();
        stopGateways();
    }
}
