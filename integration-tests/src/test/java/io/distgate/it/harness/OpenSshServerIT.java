package io.distgate.it.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.distgate.gateway.local.FreePorts;
import io.distgate.gateway.local.LogRing;
import io.distgate.gateway.local.Processes;
import io.distgate.gateway.ssh.SshKeyType;
import io.distgate.gateway.ssh.SshKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves {@link OpenSshServer} and the forwarding the gateway will rely on against real OpenSSH:
 * sshd started by the harness, the {@code ssh} client as the peer, keys written by {@link SshKeys}.
 */
class OpenSshServerIT {
    private static final Path SSH = Path.of("/usr/bin/ssh");
    private static final Duration FORWARD_BOUND = Duration.ofSeconds(20);
    private static final Duration EXIT_BOUND = Duration.ofSeconds(20);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(50);
    private static final int IO_TIMEOUT_MS = 5000;
    private static final int FORWARD_ATTEMPTS = 3;

    @TempDir
    Path dir;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private Path clientKey;
    private Path authorizedKeys;

    @BeforeEach
    void clientKeyIsAuthorized() throws IOException {
        clientKey = dir.resolve(SshKeyType.ED25519.clientKeyFileName("a"));
        SshKeys.write(SshKeys.generate(SshKeyType.ED25519), clientKey, "distgate-site-a");
        // OpenSSH's own authorized_keys takes the plain public key line: it rejects options it does not know.
        authorizedKeys = Files.copy(SshKeys.publicKeyFile(clientKey), dir.resolve("authorized_keys"));
    }

    @AfterEach
    void closeResources() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    @Test
    void bytesEchoThroughLocalForward() throws IOException {
        EchoServer echo = use(EchoServer.start());
        OpenSshServer sshd = use(OpenSshServer.start(settings().withPermitOpen("127.0.0.1:" + echo.port())));

        SshClient client = localForward(sshd, echo.port());

        assertEchoes(client.forwardPort, client);
        assertThat(sshd.logContains("Accepted publickey for root from 127.0.0.1")).as(sshd.logTail(30)).isTrue();
    }

    @Test
    void bytesEchoThroughRemoteForwardWhenPermitted() throws IOException {
        EchoServer echo = use(EchoServer.start());
        int remotePort = FreePorts.probe();
        OpenSshServer sshd = use(OpenSshServer.start(settings().withPermitListen("localhost:" + remotePort)));

        SshClient client = use(SshClient.start(dir, sshd, clientKey, knownHosts(sshd), "-R", remotePort + ":127.0.0.1:" + echo.port()));
        awaitAccepting(remotePort, client);

        assertEchoes(remotePort, client);
    }

    @Test
    void remoteForwardOutsidePermitListenIsRefused() throws IOException {
        int permitted = FreePorts.probe();
        int refused = FreePorts.probe();
        OpenSshServer sshd = use(OpenSshServer.start(settings().withPermitListen("localhost:" + permitted)));

        SshClient client = use(SshClient.start(dir, sshd, clientKey, knownHosts(sshd), "-R", refused + ":127.0.0.1:9"));

        assertThat(client.awaitExit()).as(client.log.tail(30)).isEqualTo(255);
        assertThat(client.log.contains("remote port forwarding failed for listen port " + refused)).as(client.log.tail(30)).isTrue();
    }

    @Test
    void localForwardToPortOutsidePermitOpenIsRefused() throws IOException {
        EchoServer permitted = use(EchoServer.start());
        EchoServer other = use(EchoServer.start());
        OpenSshServer sshd = use(OpenSshServer.start(settings().withPermitOpen("127.0.0.1:" + permitted.port())));

        SshClient client = localForward(sshd, other.port());

        try (Socket socket = connect(client.forwardPort)) {
            assertThat(readUntilClosed(socket)).as("ssh closes the socket of the refused channel").isTrue();
        }
        assertThat(client.log.await("administratively prohibited", FORWARD_BOUND)).as(client.log.tail(30)).isTrue();
        assertThat(other.accepted()).isZero();
    }

    @Test
    void unknownClientKeyIsRefused() throws IOException {
        OpenSshServer sshd = use(OpenSshServer.start(settings()));
        Path stranger = dir.resolve("stranger_ed25519");
        SshKeys.write(SshKeys.generate(SshKeyType.ED25519), stranger, "stranger");

        SshClient client = use(SshClient.start(dir, sshd, stranger, knownHosts(sshd)));

        assertThat(client.awaitExit()).as(client.log.tail(30)).isEqualTo(255);
        assertThat(client.log.contains("Permission denied (publickey)")).as(client.log.tail(30)).isTrue();
        assertThat(sshd.logContains("Accepted publickey")).isFalse();
    }

    @Test
    void sshdRefusesKeyCarryingTheDistgateSiteOption() throws IOException {
        // distgate's authorized_keys file is for the gateway's own SSH server only: OpenSSH fails
        // a key whose line carries an option it does not know, so the two files cannot be one.
        String distgateLine = SshKeys.authorizedKeysLine(SshKeys.loadPublicKey(SshKeys.publicKeyFile(clientKey)), "a");
        Files.writeString(authorizedKeys, distgateLine + "\n");
        OpenSshServer sshd = use(OpenSshServer.start(settings()));

        SshClient client = use(SshClient.start(dir, sshd, clientKey, knownHosts(sshd)));

        assertThat(client.awaitExit()).as(client.log.tail(30)).isEqualTo(255);
        assertThat(sshd.logContains("Failed publickey for root")).as(sshd.logTail(30)).isTrue();
    }

    @Test
    void clientRefusesServerWhoseHostKeyIsNotInKnownHosts() throws IOException {
        OpenSshServer sshd = use(OpenSshServer.start(settings()));
        String impostor = SshKeys.knownHostsLine("127.0.0.1", sshd.port(), SshKeys.generate(SshKeyType.ED25519).getPublic());
        Path knownHosts = Files.writeString(dir.resolve("known_hosts_impostor"), impostor + "\n");

        SshClient client = use(SshClient.start(dir, sshd, clientKey, knownHosts));

        assertThat(client.awaitExit()).as(client.log.tail(30)).isEqualTo(255);
        assertThat(client.log.contains("Host key verification failed")).as(client.log.tail(30)).isTrue();
    }

    @Test
    void clientAliveClosesSessionOfStoppedClientWithinSeconds() throws IOException {
        EchoServer echo = use(EchoServer.start());
        OpenSshServer sshd = use(OpenSshServer.start(settings().withClientAlive(Duration.ofSeconds(1), 3)));
        SshClient client = localForward(sshd, echo.port());
        assertEchoes(client.forwardPort, client);

        long stopped = System.nanoTime();
        client.signal("STOP");
        boolean timedOut = sshd.awaitLog("Timeout, client not responding", Duration.ofSeconds(20));
        Duration detection = Duration.ofNanos(System.nanoTime() - stopped);
        client.signal("CONT");

        assertThat(timedOut).as(sshd.logTail(30)).isTrue();
        // sshd drops the client at the check after CountMax unanswered probes. OpenSSH 9.2 probes a
        // silent client every 2 x ClientAliveInterval (measured: probes 2 s apart, drop 7-8 s after
        // SIGSTOP), so 3 s is the least and 10 s leaves room for a slow machine. TCP alone would never
        // notice: the kernel of a stopped process still acknowledges.
        assertThat(detection).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(10));
        assertThat(client.awaitExit()).as("the resumed client finds its connection closed\n" + client.log.tail(30)).isEqualTo(255);
    }

    private OpenSshServer.Settings settings() {
        return OpenSshServer.Settings.authorizedKeys(authorizedKeys);
    }

    private Path knownHosts(OpenSshServer sshd) throws IOException {
        return Files.writeString(dir.resolve("known_hosts-" + sshd.port()), sshd.knownHostsLine() + "\n");
    }

    /** ssh -L on a probed local port, retried when another process bound that port first. */
    private SshClient localForward(OpenSshServer sshd, int targetPort) throws IOException {
        StringBuilder failures = new StringBuilder();
        for (int attempt = 1; attempt <= FORWARD_ATTEMPTS; attempt++) {
            int localPort = FreePorts.probe();
            SshClient client = use(SshClient.start(dir, sshd, clientKey, knownHosts(sshd), "-L", localPort + ":127.0.0.1:" + targetPort));
            client.forwardPort = localPort;
            if (awaitAccepting(localPort, client)) {
                return client;
            }
            failures.append(client.log.tail(20));
            if (!client.log.contains("Address already in use")) {
                break;
            }
        }
        return fail("ssh -L did not start forwarding:\n" + failures + "sshd:\n" + sshd.logTail(30));
    }

    /** Polls until {@code port} accepts a connection, at most {@link #FORWARD_BOUND}, while the client runs. */
    private static boolean awaitAccepting(int port, SshClient client) {
        long end = System.nanoTime() + FORWARD_BOUND.toNanos();
        while (client.process.isAlive() && System.nanoTime() < end) {
            try {
                connect(port).close();
                return true;
            } catch (IOException notYet) {
                pauseBetweenProbes();
            }
        }
        return false;
    }

    private static void assertEchoes(int port, SshClient client) throws IOException {
        byte[] sent = new byte[64 * 1024];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) (i * 31);
        }
        try (Socket socket = connect(port)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(sent);
            out.flush();
            byte[] received = in.readNBytes(sent.length);
            assertThat(Arrays.equals(received, sent)).as("echoed " + received.length + " of " + sent.length + " bytes\n" + client.log.tail(20)).isTrue();
        } catch (SocketTimeoutException e) {
            fail("no echo through port " + port + " within " + IO_TIMEOUT_MS + " ms\n" + client.log.tail(20));
        }
    }

    /** True when the peer closes or resets the connection before the read timeout. */
    private static boolean readUntilClosed(Socket socket) {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), IO_TIMEOUT_MS);
            socket.setSoTimeout(IO_TIMEOUT_MS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static void pauseBetweenProbes() {
        try {
            TimeUnit.MILLISECONDS.sleep(PROBE_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while polling", e);
        }
    }

    private <T extends AutoCloseable> T use(T resource) {
        resources.push(resource);
        return resource;
    }

    /** An OpenSSH {@code ssh -N} client process, owned by PID, configured only by its command line. */
    private static final class SshClient implements AutoCloseable {
        final Process process;
        final LogRing log = new LogRing(500);
        int forwardPort;

        private SshClient(Process process) {
            this.process = process;
            Processes.pump(process.getInputStream(), "ssh-" + process.pid(), log::add, log::close);
        }

        /**
         * {@code -F /dev/null} keeps the machine's ssh_config out; BatchMode never prompts; the host key
         * must be in our known_hosts (StrictHostKeyChecking=yes); ExitOnForwardFailure makes a refused
         * forward an exit, not a warning.
         */
        static SshClient start(Path dir, OpenSshServer sshd, Path key, Path knownHosts, String... forward) {
            if (!Files.isExecutable(SSH)) {
                fail(SSH + " not found: these tests need the OpenSSH client; run apt-get install -y openssh-client openssh-server");
            }
            List<String> command = new ArrayList<>(List.of(SSH.toString(), "-F", "/dev/null", "-N",
                    "-p", Integer.toString(sshd.port()), "-i", key.toString(),
                    "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes",
                    "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                    "-o", "StrictHostKeyChecking=yes", "-o", "ExitOnForwardFailure=yes",
                    "-o", "ConnectTimeout=10", "-o", "LogLevel=VERBOSE"));
            command.addAll(List.of(forward));
            command.add("root@127.0.0.1");
            try {
                return new SshClient(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start());
            } catch (IOException e) {
                return fail("starting " + command + " failed: " + e);
            }
        }

        /** The exit code, waiting at most {@link #EXIT_BOUND}. */
        int awaitExit() {
            try {
                if (!process.waitFor(EXIT_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                    fail("ssh (pid " + process.pid() + ") still runs after " + EXIT_BOUND + "\n" + log.tail(30));
                }
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for ssh", e);
            }
        }

        void signal(String signal) {
            if (!trySignal(signal)) {
                fail("kill -" + signal + " " + process.pid() + " failed\n" + log.tail(20));
            }
        }

        /** kill -SIGNAL by PID: Java has no call for STOP and CONT. */
        private boolean trySignal(String signal) {
            try {
                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
                return kill.waitFor(EXIT_BOUND.toMillis(), TimeUnit.MILLISECONDS) && kill.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while signalling ssh", e);
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                trySignal("CONT"); // a stopped process acts on SIGTERM only once continued
            }
            OpenSshServer.terminate(process.toHandle());
        }
    }
}
