package io.distgate.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.Deadline;
import io.distgate.gateway.local.FreePorts;
import io.distgate.gateway.local.GatewayProcess;
import io.distgate.it.harness.LocalBridge;
import io.distgate.it.harness.Prom;
import io.distgate.it.harness.SshPair;
import io.distgate.it.harness.TwoSites;
import io.distgate.gateway.ssh.SshKeyType;
import io.distgate.gateway.ssh.SshKeys;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the SSH transport refuses (issue #4), each logged with its reason and counted: unknown
 * and changed host keys (dialling side), unknown client keys and keys of another site, and a
 * real OpenSSH client's shell, exec and other-port forwards (embedded server side).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshTrustIT {

    private SshPair sites;
    private Path files;
    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    void start() {
        sites = SshPair.start(NameMode.SHORT);
        files = sites.files();
    }

    @AfterAll
    void stop() {
        started.forEach(Process::destroyForcibly);
        sites.close();
    }

    private void assertCounted(GatewayProcess gateway, String reason) {
        assertThat(gateway.awaitLog("tunnel refused transport=ssh reason=" + reason, Duration.ofSeconds(15)))
                .as("%s logs reason %s", gateway.label(), reason).isTrue();
        assertThat(Prom.sum(gateway.scrape(), "distgate_tunnel_auth_failures_total", Map.of("transport", "ssh", "reason", reason)))
                .isGreaterThanOrEqualTo(1);
    }

    /** A gateway of site a dialling gateway b directly with the given files. */
    private GatewayProcess dialler(String label, Path identity, Path knownHosts) throws IOException {
        Path config = files.resolve(label + ".yaml");
        Files.writeString(config, "sites:\n"
                + LocalBridge.site("a", "cookie", NameMode.SHORT, "a*", 4369, 0, "")
                + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"127.0.0.1:" + sites.sshPortB() + "\", ssh: {stream_port: "
                + sites.streamPort() + ", reverse_port: " + FreePorts.probe() + "}}\n"
                + "tunnel:\n  transport: ssh\n  ssh: {identity: " + identity + ", known_hosts: " + knownHosts + "}\n"
                + "metrics: {listen: \"127.0.0.1:0\"}\n");
        return GatewayProcess.start(label, TwoSites.jar(), config, Duration.ofSeconds(30));
    }

    private Path knownHosts(String name, KeyPair hostKey) throws IOException {
        Path file = files.resolve(name);
        Files.writeString(file, hostKey == null ? "" : SshKeys.knownHostsLine("127.0.0.1", sites.sshPortB(), hostKey.getPublic()) + "\n");
        return file;
    }

    @Test
    void unknownHostKeyIsRefusedByTheDialler() throws Exception {
        try (GatewayProcess a = dialler("unknown-host", files.resolve("a_ed25519"), knownHosts("empty_known_hosts", null))) {
            assertCounted(a, "unknown_host_key");
            assertThat(a.logContains("tunnel up")).isFalse();
        }
    }

    @Test
    void changedHostKeyIsRefusedByTheDialler() throws Exception {
        Path other = knownHosts("changed_known_hosts", SshKeys.generate(SshKeyType.ED25519));
        try (GatewayProcess a = dialler("changed-host", files.resolve("a_ed25519"), other)) {
            assertCounted(a, "changed_host_key");
            assertThat(a.logContains("tunnel up")).isFalse();
        }
    }

    @Test
    void unknownClientKeyIsRefusedByTheServer() throws Exception {
        KeyPair stranger = SshKeys.generate(SshKeyType.ED25519);
        SshKeys.write(stranger, files.resolve("stranger"), "stranger");
        try (GatewayProcess a = dialler("stranger", files.resolve("stranger"), knownHosts("good_known_hosts", sites.hostKeyB()))) {
            assertCounted(sites.gatewayOf("b"), "unknown_client_key");
            assertThat(a.awaitLog("tunnel refused transport=ssh reason=auth_rejected", Duration.ofSeconds(15))).isTrue();
            assertThat(a.logContains("tunnel up")).isFalse();
        }
    }

    @Test
    void keyOfAnotherSiteCannotLogInAsSiteA() throws Exception {
        KeyPair siteC = SshKeys.generate(SshKeyType.ED25519);
        SshKeys.write(siteC, files.resolve("c_ed25519"), "site-c");
        Files.writeString(files.resolve("authorized_keys"), SshKeys.authorizedKeysLine(siteC.getPublic(), "c") + "\n",
                StandardOpenOption.APPEND);
        sites.gatewayOf("b").stop();
        sites.startGateway("b");
        sites.awaitTunnel();
        try (GatewayProcess a = dialler("site-c-key", files.resolve("c_ed25519"), knownHosts("good_known_hosts2", sites.hostKeyB()))) {
            assertCounted(sites.gatewayOf("b"), "wrong_site");
            assertThat(a.logContains("tunnel up")).isFalse();
        }
    }

    /** The first byte read, or -1 at end of stream or when the peer resets the connection. */
    private static int readOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    /** A real OpenSSH client against the embedded server, with site a's own (authorized) key. */
    private Process ssh(String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of("ssh", "-i", files.resolve("a_ed25519").toString(), "-p",
                Integer.toString(sites.sshPortB()), "-o", "UserKnownHostsFile=" + knownHosts("ssh_known_hosts", sites.hostKeyB()),
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "ExitOnForwardFailure=yes", "-T"));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(p);
        return p;
    }

    private static String finish(Process p) throws Exception {
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("ssh exits").isTrue();
        return new String(p.getInputStream().readAllBytes());
    }

    @Test
    void shellRequestFromOpenSshIsRefused() throws Exception {
        String out = finish(ssh("a@127.0.0.1"));
        assertCounted(sites.gatewayOf("b"), "shell_request");
        assertThat(out).doesNotContain("Linux");
    }

    @Test
    void execRequestFromOpenSshIsRefused() throws Exception {
        String out = finish(ssh("a@127.0.0.1", "echo", "you-should-not-see-this"));
        assertCounted(sites.gatewayOf("b"), "exec_request");
        assertThat(out).doesNotContain("you-should-not-see-this");
    }

    @Test
    void forwardToAnyOtherPortIsRefused() throws Exception {
        int local = FreePorts.probe();
        int elsewhere = sites.gatewayOf("b").metricsPort().orElseThrow();
        Process tunnel = ssh("-N", "-L", local + ":127.0.0.1:" + elsewhere, "a@127.0.0.1");
        // The forward's listener is up once a connection to it succeeds; the channel behind it is refused.
        Deadline deadline = Deadline.after(Duration.ofSeconds(15));
        boolean connected = false;
        while (!connected && !deadline.expired() && tunnel.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", local)) {
                connected = true;
                s.setSoTimeout(5000);
                s.getOutputStream().write("GET /metrics HTTP/1.0\r\n\r\n".getBytes());
                assertThat(readOrReset(s)).as("nothing comes back through a refused forward").isEqualTo(-1);
            } catch (java.net.ConnectException notYet) {
                deadline.pauseBetweenProbes(Duration.ofMillis(50));
            }
        }
        assertThat(connected).as("connected to the local end of the forward").isTrue();
        assertCounted(sites.gatewayOf("b"), "forward_refused");
        tunnel.destroy();
    }
}
