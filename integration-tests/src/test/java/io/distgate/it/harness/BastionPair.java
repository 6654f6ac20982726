package io.distgate.it.harness;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.FreePorts;
import io.distgate.gateway.ssh.SshKeyType;
import io.distgate.gateway.ssh.SshKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Duration;

/**
 * Site B reachable only through a stock OpenSSH server (a bastion, issue #4): gateway A dials
 * sshd with its key and forwards its streams to gateway B's stream port on the bastion's
 * loopback (direct-tcpip); sshd forwards the reverse port back to gateway A (tcpip-forward).
 * Gateway B runs no SSH server of its own and takes streams on loopback only; sshd's
 * PermitOpen and PermitListen allow exactly those two ports.
 */
public final class BastionPair extends GatewayPair {

    private final int streamPort = FreePorts.probe();
    private final int reversePort = FreePorts.probe();
    private final OpenSshServer sshd;

    private BastionPair(NameMode mode) {
        super("bastion", mode);
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
            siteA.close();
            siteB.close();
            throw new UncheckedIOException(e);
        }
        String ports = "ssh: {stream_port: " + streamPort + ", reverse_port: " + reversePort + "}";
        LocalBridge.write(configA, sitesYaml("a")
                + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"127.0.0.1:" + sshd.port() + "\", " + ports + "}\n"
                + "tunnel:\n  transport: ssh\n  reconnect_max: 1s\n"
                + "  ssh: {user: root, identity: " + dir.resolve("a_ed25519") + ", known_hosts: "
                + dir.resolve("known_hosts") + "}\n"
                + "metrics: {listen: \"127.0.0.1:0\"}\n");
        LocalBridge.write(configB, sitesYaml("b")
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
    protected String linkDiagnostics() {
        return sshd.logTail(40);
    }

    @Override
    protected void closeLink() {
        sshd.close();
    }
}
