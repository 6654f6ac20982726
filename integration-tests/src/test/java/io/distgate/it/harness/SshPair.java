package io.distgate.it.harness;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.ErlangSite;
import io.distgate.gateway.local.FreePorts;
import io.distgate.gateway.local.GatewayProcess;
import io.distgate.gateway.local.Processes;
import io.distgate.gateway.ssh.SshKeyType;
import io.distgate.gateway.ssh.SshKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

/**
 * One gateway per site, linked over SSH (issue #4): gateway B embeds the SSH server, gateway A
 * dials it through a {@link WanRelay}. Keys are made for the run: A's client key (mapped to
 * site a in B's authorized_keys) and B's host key (in A's known_hosts for the relay's address).
 */
public final class SshPair implements TwoSites {

    private final ErlangSite siteA;
    private final ErlangSite siteB;
    private final int nameServiceA = FreePorts.probe();
    private final int nameServiceB = FreePorts.probe();
    private final int sshB = FreePorts.probe();
    private final int streamPort = FreePorts.probe();
    private final int reversePort = FreePorts.probe();
    private final Path dir = Processes.tempDir("distgate-ssh");
    private final Path configA = dir.resolve("a.yaml");
    private final Path configB = dir.resolve("b.yaml");
    private final WanRelay relay;
    private final KeyPair hostKey = SshKeys.generate(SshKeyType.ED25519);
    private GatewayProcess gatewayA;
    private GatewayProcess gatewayB;

    private SshPair(NameMode mode) {
        KeyPair clientA = SshKeys.generate(SshKeyType.ED25519);
        SshKeys.write(clientA, dir.resolve("a_ed25519"), "site-a");
        SshKeys.write(hostKey, dir.resolve("ssh_host_ed25519_key"), "gateway-b");
        try {
            relay = WanRelay.start("127.0.0.1", sshB);
            Files.writeString(dir.resolve("authorized_keys"), SshKeys.authorizedKeysLine(clientA.getPublic(), "a") + "\n");
            Files.writeString(dir.resolve("known_hosts"), SshKeys.knownHostsLine("127.0.0.1", relay.port(), hostKey.getPublic()) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        siteA = ErlangSite.startWithGateway("A", mode, COOKIE_A, "127.0.0.1:" + nameServiceA);
        siteB = ErlangSite.startWithGateway("B", mode, COOKIE_B, "127.0.0.1:" + nameServiceB);
        String ports = "ssh: {stream_port: " + streamPort + ", reverse_port: " + reversePort + "}";
        LocalBridge.write(configA, "sites:\n"
                + LocalBridge.site("a", COOKIE_A, mode, "a*", siteA.epmd().port(), nameServiceA, "")
                + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"" + relay.address() + "\", " + ports + "}\n"
                + "tunnel:\n  transport: ssh\n  reconnect_max: 1s\n"
                + "  ssh: {identity: " + dir.resolve("a_ed25519") + ", known_hosts: " + dir.resolve("known_hosts") + "}\n"
                + "metrics: {listen: \"127.0.0.1:0\"}\n");
        LocalBridge.write(configB, "sites:\n"
                + LocalBridge.site("b", COOKIE_B, mode, "b*", siteB.epmd().port(), nameServiceB, "")
                + "peers:\n  - {site: a, nodes: [\"a*\"], " + ports + "}\n"
                + "tunnel:\n  transport: ssh\n  listen: \"127.0.0.1:" + sshB + "\"\n"
                + "  ssh: {host_key: " + dir.resolve("ssh_host_ed25519_key") + ", authorized_keys: "
                + dir.resolve("authorized_keys") + "}\n"
                + "metrics: {listen: \"127.0.0.1:0\"}\n");
        startGateways();
    }

    public static SshPair start(NameMode mode) {
        return new SshPair(mode);
    }

    public WanRelay relay() {
        return relay;
    }

    /** Where the keys and files of the run are. */
    public Path files() {
        return dir;
    }

    /** Gateway B's embedded SSH server, not through the relay. */
    public int sshPortB() {
        return sshB;
    }

    public int streamPort() {
        return streamPort;
    }

    public KeyPair hostKeyB() {
        return hostKey;
    }

    @Override
    public String transport() {
        return "ssh";
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

    public GatewayProcess startGateway(String site) {
        GatewayProcess g = GatewayProcess.start("ssh-" + site, TwoSites.jar(), site.equals("a") ? configA : configB,
                Duration.ofSeconds(30), "-Xmx256m");
        if (site.equals("a")) {
            gatewayA = g;
        } else {
            gatewayB = g;
        }
        return g;
    }

    public void awaitTunnel() {
        if (!gatewayA.awaitLog("tunnel up peer_site=b", Duration.ofSeconds(30))) {
            throw new IllegalStateException("the SSH tunnel a -> b did not come up\n" + gatewayA.logTail(40) + gatewayB.logTail(40));
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
