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
 * Site B reachable only through a stock OpenSSH server (a bastion, issue #4): gateway A dials
 * sshd with its key and forwards its streams to gateway B's stream port on the bastion's
 * loopback (direct-tcpip); sshd forwards the reverse port back to gateway A (tcpip-forward).
 * Gateway B runs no SSH server of its own and takes streams on loopback only; sshd's
 * PermitOpen and PermitListen allow exactly those two ports.
 */
public final class BastionPair implements TwoSites {

    private final ErlangSite siteA;
    private final ErlangSite siteB;
    private final int nameServiceA = FreePorts.probe();
    private final int nameServiceB = FreePorts.probe();
    private final int streamPort = FreePorts.probe();
    private final int reversePort = FreePorts.probe();
    private final Path dir = Processes.tempDir("distgate-bastion");
    private final Path configA = dir.resolve("a.yaml");
    private final Path configB = dir.resolve("b.yaml");
    private final OpenSshServer sshd;
    private GatewayProcess gatewayA;
    private GatewayProcess gatewayB;

    private BastionPair(NameMode mode) {
        KeyPair clientA = SshKeys.generate(SshKeyType.ED25519);
        SshKeys.write(clientA, dir.resolve("a_ed25519"), "site-a");
        try {
            // A plain OpenSSH authorized_keys line: sshd knows no distgate options.
            Files.copy(SshKeys.publicKeyFile(dir.resolve("a_ed25519")), dir.resolve("authorized_keys"));
            sshd = OpenSshServer.start(OpenSshServer.Settings.authorizedKeys(dir.resolve("authorized_keys"))
                    .withClientAlive(Duration.ofSeconds(1), 2)
                    .withPermitOpen("127.0.0.1:" + streamPort)
                    .withPermitListen("127.0.0.1:" + reversePort));
            Files.writeString(dir.resolve("known_hosts"), sshd.knownHostsLine() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        siteA = ErlangSite.startWithGateway("A", mode, COOKIE_A, "127.0.0.1:" + nameServiceA);
        siteB = ErlangSite.startWithGateway("B", mode, COOKIE_B, "127.0.0.1:" + nameServiceB);
        String ports = "ssh: {stream_port: " + streamPort + ", reverse_port: " + reversePort + "}";
        LocalBridge.write(configA, "sites:\n"
                + LocalBridge.site("a", COOKIE_A, mode, "a*", siteA.epmd().port(), nameServiceA, "")
                + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"127.0.0.1:" + sshd.port() + "\", " + ports + "}\n"
                + "tunnel:\n  transport: ssh\n  reconnect_max: 1s\n"
                + "  ssh: {user: root, identity: " + dir.resolve("a_ed25519") + ", known_hosts: " + dir.resolve("known_hosts") + "}\n"
                + "metrics: {listen: \"127.0.0.1:0\"}\n");
        LocalBridge.write(configB, "sites:\n"
                + LocalBridge.site("b", COOKIE_B, mode, "b*", siteB.epmd().port(), nameServiceB, "")
                + "peers:\n  - {site: a, nodes: [\"a*\"], " + ports + "}\n"
                + "tunnel:\n  transport: ssh\n  ssh: {}\n"
                + "metrics: {listen: \"127.0.0.1:0\"}\n");
        startGateways();
    }

    public static BastionPair start(NameMode mode) {
        return new BastionPair(mode);
    }

    public OpenSshServer sshd() {
        return sshd;
    }

    @Override
    public String transport() {
        return "ssh-bastion";
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
        gatewayB = GatewayProcess.start("bastion-b", TwoSites.jar(), configB, Duration.ofSeconds(30), "-Xmx256m");
        gatewayA = GatewayProcess.start("bastion-a", TwoSites.jar(), configA, Duration.ofSeconds(30), "-Xmx256m");
        if (!gatewayA.awaitLog("tunnel up peer_site=b", Duration.ofSeconds(30))
                || !gatewayB.awaitLog("tunnel up peer_site=a", Duration.ofSeconds(30))) {
            throw new IllegalStateException("the tunnel through sshd did not come up\n" + gatewayA.logTail(40)
                    + gatewayB.logTail(40) + sshd.logTail(40));
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
        sshd.close();
        siteA.close();
        siteB.close();
    }
}
