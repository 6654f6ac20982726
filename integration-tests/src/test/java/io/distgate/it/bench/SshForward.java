package io.distgate.it.bench;

import io.distgate.gateway.local.FreePorts;
import io.distgate.gateway.local.Processes;
import io.distgate.gateway.ssh.SshKeyType;
import io.distgate.gateway.ssh.SshKeys;
import io.distgate.it.harness.OpenSshServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code ssh -N -L} forwarding with OpenSSH at both ends: a real sshd of its own (the harness's
 * {@link OpenSshServer}) and a real ssh client, with default ciphers, key-only login.
 */
final class SshForward implements ForwardedPath.Tunnel {

    private static final Path SSH = Path.of("/usr/bin/ssh");
    private static final Duration READY_BOUND = Duration.ofSeconds(20);
    private static final int ATTEMPTS = 5;

    private final OpenSshServer sshd;
    private final Daemon client;
    private final int listenPort;
    private final String cipher;

    private SshForward(OpenSshServer sshd, Daemon client, int listenPort, String cipher) {
        this.sshd = sshd;
        this.client = client;
        this.listenPort = listenPort;
        this.cipher = cipher;
    }

    static SshForward start(int targetPort) {
        Path dir = Processes.tempDir("distgate-bench-ssh");
        Path key = dir.resolve("id_ed25519");
        SshKeys.write(SshKeys.generate(SshKeyType.ED25519), key, "distgate-bench");
        OpenSshServer sshd;
        Path knownHosts = dir.resolve("known_hosts");
        try {
            // OpenSSH's authorized_keys takes the plain public key line.
            Path authorized = Files.copy(SshKeys.publicKeyFile(key), dir.resolve("authorized_keys"));
            sshd = OpenSshServer.start(OpenSshServer.Settings.authorizedKeys(authorized));
            Files.writeString(knownHosts, sshd.knownHostsLine() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder failures = new StringBuilder();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = FreePorts.probe();
            Daemon client = Daemon.start("ssh-L", dir, List.of(SSH.toString(), "-F", "/dev/null", "-N", "-v",
                    "-p", Integer.toString(sshd.port()), "-i", key.toString(),
                    "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes",
                    "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                    "-o", "StrictHostKeyChecking=yes", "-o", "ExitOnForwardFailure=yes", "-o", "ConnectTimeout=10",
                    "-L", "127.0.0.1:" + port + ":127.0.0.1:" + targetPort, "root@127.0.0.1"));
            if (client.awaitLog("Local forwarding listening on 127.0.0.1 port " + port, READY_BOUND)) {
                return new SshForward(sshd, client, port, cipherOf(client));
            }
            failures.append("  port ").append(port).append(":\n").append(client.logTail(20));
            client.close();
            if (!client.logContains("Address already in use")) {
                break;
            }
        }
        sshd.close();
        throw new IllegalStateException("ssh -L did not start:\n" + failures);
    }

    /** From ssh -v: "debug1: kex: server->client cipher: chacha20-poly1305@openssh.com MAC: <implicit> ...". */
    private static String cipherOf(Daemon client) {
        return client.logContains("cipher: ") ? client.logTail(300).lines()
                .filter(line -> line.contains("client->server cipher: "))
                .map(line -> line.substring(line.indexOf("cipher: ") + 8).split(" ")[0])
                .findFirst().orElse("?") : "?";
    }

    @Override
    public int listenPort() {
        return listenPort;
    }

    @Override
    public List<Long> processes() {
        return List.of(sshd.pid(), client.pid());
    }

    @Override
    public String describe() {
        return "OpenSSH cipher " + cipher;
    }

    @Override
    public void close() {
        client.close();
        sshd.close();
    }
}
