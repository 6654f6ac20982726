package io.distgate.it.harness;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.FreePorts;
import io.distgate.gateway.ssh.SshKeyType;
import io.distgate.gateway.ssh.SshKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

/**
 * One gateway per site, linked over SSH (issue #4): gateway B embeds the SSH server, gateway A
 * dials it through a {@link WanRelay}. Keys are made for the run: A's client key (mapped to
 * site a in B's authorized_keys) and B's host key (in A's known_hosts for the relay's address).
 */
public final class SshPair extends GatewayPair {

    private final int sshB = FreePorts.probe();
    private final int streamPort = FreePorts.probe();
    private final int reversePort = FreePorts.probe();
    private final WanRelay relay;
    private final KeyPair hostKey = SshKeys.generate(SshKeyType.ED25519);

    private SshPair(NameMode mode) {
        super("ssh", mode);
        KeyPair clientA = SshKeys.generate(SshKeyType.ED25519);
        SshKeys.write(clientA, dir.resolve("a_ed25519"), "site-a");
        SshKeys.write(hostKey, dir.resolve("ssh_host_ed25519_key"), "gateway-b");
        try {
            relay = WanRelay.start("127.0.0.1", sshB);
            Files.writeString(dir.resolve("authorized_keys"), SshKeys.authorizedKeysLine(clientA.getPublic(), "a") + "\n");
            Files.writeString(dir.resolve("known_hosts"),
                    SshKeys.knownHostsLine("127.0.0.1", relay.port(), hostKey.getPublic()) + "\n");
        } catch (IOException e) {
            siteA.close();
            siteB.close();
            throw new UncheckedIOException(e);
        }
        String ports = "ssh: {stream_port: " + streamPort + ", reverse_port: " + reversePort + "}";
        LocalBridge.write(configA, sitesYaml("a")
                + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"" + relay.address() + "\", " + ports + "}\n"
                + "tunnel:\n  transport: ssh\n  reconnect_max: 1s\n"
                + "  ssh: {identity: " + dir.resolve("a_ed25519") + ", known_hosts: " + dir.resolve("known_hosts") + "}\n"
                + "metrics: {listen: \"127.0.0.1:0\"}\n");
        LocalBridge.write(configB, sitesYaml("b")
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
    protected void closeLink() {
        relay.close();
    }
}
