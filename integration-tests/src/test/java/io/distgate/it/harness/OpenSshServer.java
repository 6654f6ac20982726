package io.distgate.it.harness;

import io.distgate.gateway.local.FreePorts;
import io.distgate.gateway.local.LogRing;
import io.distgate.gateway.local.Processes;
import io.distgate.gateway.ssh.SshKeyType;
import io.distgate.gateway.ssh.SshKeys;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real OpenSSH {@code sshd} on its own loopback port, with its own host key, config, PID file and
 * authorized_keys, run in the foreground ({@code -D -e}) so the harness owns its PID and reads its log.
 * Nothing of the machine's own sshd setup (service, {@code /etc/ssh/sshd_config}, host keys) is used.
 */
public final class OpenSshServer implements AutoCloseable {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    public static final String INSTALL_COMMAND = "apt-get install -y openssh-server";
    /** sshd's privilege separation directory; Debian creates it at boot through the service, which we do not run. */
    private static final Path PRIVSEP_DIR = Path.of("/run/sshd");
    private static final int START_ATTEMPTS = 5;
    private static final Duration READY_BOUND = Duration.ofSeconds(15);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(50);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration INSTALL_BOUND = Duration.ofMinutes(8);
    private static final int BANNER_TIMEOUT_MS = 2000;
    private static final Set<OpenSshServer> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(OpenSshServer::close), "openssh-server-backstop"));
    }

    /**
     * What a test chooses; everything else in the config is fixed (see {@link #config}).
     *
     * @param clientAliveInterval sshd's keepalive probe interval, whole seconds; zero turns probing off (sshd's default).
     *                            OpenSSH 9.2 probes a silent client every 2 x interval and drops it at the check after
     *                            CountMax unanswered probes: measured 7-8 s for 1 s / 3, about 3.5 s for 1 s / 1
     * @param clientAliveCountMax unanswered probes after which sshd drops the client (sshd's default 3)
     * @param permitOpen          {@code host:port} targets a local forward (-L) may reach, or {@code any} (default);
     *                            the host is compared as text with the one the client asks for, not resolved
     * @param permitListen        {@code [host:]port} a remote forward (-R) may listen on, or {@code any} (default);
     *                            ssh asks for host {@code localhost} when -R names no bind address
     */
    public record Settings(Path authorizedKeys, Duration clientAliveInterval, int clientAliveCountMax,
                           List<String> permitOpen, List<String> permitListen) {

        public Settings {
            if (!authorizedKeys.isAbsolute()) {
                throw new IllegalArgumentException("authorizedKeys must be absolute (sshd resolves relative paths against the user's home): " + authorizedKeys);
            }
            if (clientAliveInterval.isNegative() || clientAliveInterval.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("clientAliveInterval must be whole seconds: " + clientAliveInterval);
            }
            if (clientAliveCountMax < 1) {
                throw new IllegalArgumentException("clientAliveCountMax must be at least 1: " + clientAliveCountMax);
            }
            permitOpen = checkedWords("permitOpen", permitOpen);
            permitListen = checkedWords("permitListen", permitListen);
        }

        public static Settings authorizedKeys(Path file) {
            return new Settings(file.toAbsolutePath(), Duration.ZERO, 3, List.of("any"), List.of("any"));
        }

        public Settings withClientAlive(Duration interval, int countMax) {
            return new Settings(authorizedKeys, interval, countMax, permitOpen, permitListen);
        }

        public Settings withPermitOpen(String... targets) {
            return new Settings(authorizedKeys, clientAliveInterval, clientAliveCountMax, List.of(targets), permitListen);
        }

        public Settings withPermitListen(String... listens) {
            return new Settings(authorizedKeys, clientAliveInterval, clientAliveCountMax, permitOpen, List.of(listens));
        }

        private static List<String> checkedWords(String name, List<String> words) {
            if (words.isEmpty() || words.stream().anyMatch(word -> word.isBlank() || word.matches(".*\\s.*"))) {
                throw new IllegalArgumentException(name + " needs one or more entries without spaces (or \"any\"/\"none\"): " + words);
            }
            return List.copyOf(words);
        }
    }

    private final Process process;
    private final int port;
    private final PublicKey hostKey;
    private final LogRing log = new LogRing(1000);

    private OpenSshServer(Process process, int port, PublicKey hostKey) {
        this.process = process;
        this.port = port;
        this.hostKey = hostKey;
        Processes.pump(process.getInputStream(), "sshd-" + port, log::add, log::close);
    }

    /**
     * Starts sshd on a probed free port. The port may be taken between probe and bind (see
     * {@link FreePorts}); sshd then exits with "Cannot bind any address", and a new port is tried.
     */
    public static OpenSshServer start(Settings settings) {
        Path sshd = sshd();
        Path dir = Processes.tempDir("distgate-sshd");
        Path hostKeyFile = dir.resolve(SshKeyType.ED25519.hostKeyFileName());
        KeyPair hostKeys = SshKeys.generate(SshKeyType.ED25519);
        SshKeys.write(hostKeys, hostKeyFile, "distgate-it-sshd");
        StringBuilder failures = new StringBuilder();
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = FreePorts.probe();
            Path config = write(dir.resolve("sshd_config"), config(settings, port, dir, hostKeyFile));
            Process process = startProcess(new ProcessBuilder(sshd.toString(), "-D", "-e", "-f", config.toString()).redirectErrorStream(true));
            OpenSshServer server = new OpenSshServer(process, port, hostKeys.getPublic());
            LIVE.add(server);
            if (server.awaitReady()) {
                return server;
            }
            failures.append("  port ").append(port).append(":\n").append(server.log.tail(20));
            server.close();
            if (!server.log.contains("Cannot bind any address")) {
                break; // not a lost race for the port: retrying would fail the same way
            }
        }
        throw new IllegalStateException("sshd did not start:\n" + failures);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public PublicKey hostPublicKey() {
        return hostKey;
    }

    /** The line a client's known_hosts needs to trust this server: {@code [127.0.0.1]:<port> ssh-ed25519 ...}. */
    public String knownHostsLine() {
        return SshKeys.knownHostsLine("127.0.0.1", port, hostKey);
    }

    public boolean logContains(String text) {
        return log.contains(text);
    }

    /** Waits, at most {@code bound}, for a log line containing {@code text}. */
    public boolean awaitLog(String text, Duration bound) {
        return log.await(text, bound);
    }

    public String logTail(int lines) {
        return log.tail(lines);
    }

    /**
     * Stops sshd and the per-connection sshd processes it forked, by PID. The children are collected
     * first: once the listener is gone they are re-parented and no longer found as its descendants.
     */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        terminate(process.toHandle());
        children.forEach(OpenSshServer::terminate);
        LIVE.remove(this);
    }

    /**
     * Ready once sshd logged that it listens on our port and the port answers with an OpenSSH banner
     * while our sshd still runs: a banner from someone else's daemon would come without our log line.
     */
    private boolean awaitReady() {
        long end = System.nanoTime() + READY_BOUND.toNanos();
        if (!log.await("Server listening on 127.0.0.1 port " + port + ".", READY_BOUND)) {
            return false;
        }
        while (process.isAlive() && System.nanoTime() < end) {
            if (banner().startsWith("SSH-2.0-OpenSSH")) {
                return process.isAlive();
            }
            pauseBetweenProbes();
        }
        return false;
    }

    /** Spaces out probes of a polled condition; the bound on the wait is the caller's deadline. */
    private static void pauseBetweenProbes() {
        try {
            TimeUnit.MILLISECONDS.sleep(PROBE_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for sshd", e);
        }
    }

    /** The identification line (RFC 4253, section 4.2: at most 255 characters, CR LF terminated). */
    private String banner() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BANNER_TIMEOUT_MS);
            socket.setSoTimeout(BANNER_TIMEOUT_MS);
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b >= 0 && b != '\n' && line.length() < 255; b = in.read()) {
                line.append((char) b);
            }
            return line.toString().strip();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The whole config: no Include, so nothing from /etc/ssh applies. Public keys only, root only
     * (tests run as root; with UsePAM no, sshd checks the account itself). StrictModes is off because
     * the files live in temporary directories under a world-writable /tmp.
     */
    static String config(Settings settings, int port, Path dir, Path hostKeyFile) {
        return String.join("\n",
                "# Written by the distgate test harness (OpenSshServer).",
                "ListenAddress 127.0.0.1:" + port,
                "AddressFamily inet",
                "HostKey " + hostKeyFile,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + settings.authorizedKeys(),
                "AuthenticationMethods publickey",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "HostbasedAuthentication no",
                "UsePAM no",
                "PermitRootLogin prohibit-password",
                "AllowUsers root",
                "StrictModes no",
                "LoginGraceTime 20",
                "AllowTcpForwarding yes",
                "GatewayPorts no",
                "PermitOpen " + String.join(" ", settings.permitOpen()),
                "PermitListen " + String.join(" ", settings.permitListen()),
                "AllowStreamLocalForwarding no",
                "PermitTunnel no",
                "PermitTTY no",
                "X11Forwarding no",
                "AllowAgentForwarding no",
                "PermitUserEnvironment no",
                "ClientAliveInterval " + settings.clientAliveInterval().toSeconds(),
                "ClientAliveCountMax " + settings.clientAliveCountMax(),
                "UseDNS no",
                "PrintMotd no",
                "PrintLastLog no",
                "LogLevel VERBOSE",
                "");
    }

    /** /usr/sbin/sshd, installed through apt when missing and we are root; never a running service. */
    static synchronized Path sshd() {
        if (!Files.isExecutable(SSHD)) {
            install();
        }
        prepareHost();
        return SSHD;
    }

    private static void install() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException(SSHD + " not found (Debian package openssh-server); as root run: " + INSTALL_COMMAND);
        }
        String output = apt("install", "-y", "openssh-server");
        if (!Files.isExecutable(SSHD)) {
            // A machine whose package lists were never fetched has no candidate for the package.
            output = apt("update") + apt("install", "-y", "openssh-server");
        }
        if (!Files.isExecutable(SSHD)) {
            throw new IllegalStateException(SSHD + " not found and installing it failed; run: apt-get update && "
                    + INSTALL_COMMAND + "\n" + tailOf(output, 20));
        }
    }

    /** Exit code and output of one apt-get run, bounded; DEBIAN_FRONTEND keeps debconf from prompting. */
    private static String apt(String... args) {
        List<String> command = new ArrayList<>(List.of("apt-get"));
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile("distgate-apt", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process apt = builder.start();
            boolean exited = apt.waitFor(INSTALL_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                apt.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
            String text = Files.readString(output);
            Files.deleteIfExists(output);
            return "$ " + String.join(" ", command) + (exited ? " (exit " + apt.exitValue() + ")" : " (killed after " + INSTALL_BOUND + ")") + "\n" + text;
        } catch (IOException e) {
            return "$ " + String.join(" ", command) + " could not run: " + e + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** What sshd needs of the machine besides its binary: the privsep directory and user, a usable root account. */
    private static void prepareHost() {
        try {
            Files.createDirectories(PRIVSEP_DIR);
            if (Files.readAllLines(Path.of("/etc/passwd")).stream().noneMatch(line -> line.startsWith("sshd:"))) {
                throw new IllegalStateException("user sshd (sshd's privilege separation user) is missing; run: apt-get install --reinstall -y openssh-server");
            }
            // With UsePAM no, sshd refuses an account whose password field starts with '!' (locked), keys or not.
            if (Files.readAllLines(Path.of("/etc/shadow")).stream().anyMatch(line -> line.startsWith("root:!"))) {
                throw new IllegalStateException("root's account is locked in /etc/shadow ('!'), so sshd refuses its key logins; run: usermod -p '*' root");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("preparing the machine for sshd failed", e);
        }
    }

    private static Process startProcess(ProcessBuilder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + builder.command() + " failed", e);
        }
    }

    /** SIGTERM, then SIGKILL when the process has not exited within the grace period. */
    static void terminate(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            handle.destroyForcibly();
            handle.onExit().orTimeout(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for process " + handle.pid() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping process " + handle.pid(), e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + " failed", e);
        }
    }

    private static String tailOf(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
