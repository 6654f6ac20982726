package io.distgate.it.bench;

import io.distgate.gateway.local.Deadline;
import io.distgate.gateway.local.FreePorts;
import io.distgate.gateway.local.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Two stunnel4 processes: a server end in front of B's distribution port and a client end for A,
 * TLS 1.3 only, the same suite and EC certificates as the other TLS paths, each side verifying
 * the other's certificate against the CA ({@code verify = 2}), TCP_NODELAY on every socket as
 * the Erlang distribution sets it.
 */
final class StunnelPair implements ForwardedPath.Tunnel {

    static final Path STUNNEL = Path.of("/usr/bin/stunnel4");
    private static final Duration READY_BOUND = Duration.ofSeconds(15);
    private static final int ATTEMPTS = 5;

    private final Daemon server;
    private final Daemon client;
    private final int listenPort;

    private StunnelPair(Daemon server, Daemon client, int listenPort) {
        this.server = server;
        this.client = client;
        this.listenPort = listenPort;
    }

    static StunnelPair start(BenchFiles files, int targetPort) {
        Path dir = Processes.tempDir("distgate-bench-stunnel");
        int[] serverPort = new int[1];
        Daemon server = startEnd("stunnel-server", dir, files, "b", false, targetPort, serverPort);
        try {
            int[] clientPort = new int[1];
            Daemon client = startEnd("stunnel-client", dir, files, "a", true, serverPort[0], clientPort);
            return new StunnelPair(server, client, clientPort[0]);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static Daemon startEnd(String label, Path dir, BenchFiles files, String side, boolean client, int connect,
            int[] acceptOut) {
        StringBuilder failures = new StringBuilder();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int accept = FreePorts.probe();
            Path config = dir.resolve(label + ".conf");
            write(config, "foreground = yes\n"
                    + "pid = " + dir.resolve(label + ".pid") + "\n"
                    + "debug = 5\n"
                    + (client ? "client = yes\n" : "")
                    + "[dist]\n"
                    + "accept = 127.0.0.1:" + accept + "\n"
                    + "connect = 127.0.0.1:" + connect + "\n"
                    + "cert = " + files.cert(side) + "\n"
                    + "key = " + files.key(side) + "\n"
                    + "CAfile = " + files.caFile() + "\n"
                    + "verify = 2\n"
                    + "sslVersionMin = TLSv1.3\n"
                    + "ciphersuites = " + BenchFiles.TLS13_SUITE + "\n"
                    + "socket = l:TCP_NODELAY=1\n"
                    + "socket = r:TCP_NODELAY=1\n");
            Daemon daemon = Daemon.start(label, dir, List.of(STUNNEL.toString(), config.toString()));
            if (daemon.awaitLog("Configuration successful", READY_BOUND) && awaitListening(daemon, accept)) {
                acceptOut[0] = accept;
                return daemon;
            }
            failures.append("  port ").append(accept).append(":\n").append(daemon.logTail(20));
            daemon.close();
        }
        throw new IllegalStateException(label + " did not start:\n" + failures);
    }

    /**
     * stunnel binds after it logs its configuration; a failed bind ends the process. Its socket is
     * found in /proc/net/tcp as listening on the port, so nothing connects just to probe.
     */
    private static boolean awaitListening(Daemon daemon, int port) {
        Deadline deadline = Deadline.after(READY_BOUND);
        String local = String.format("0100007F:%04X 00000000:0000 0A ", port);
        while (daemon.isAlive() && !deadline.expired()) {
            try {
                if (Files.readAllLines(Path.of("/proc/net/tcp")).stream().anyMatch(line -> line.contains(local))) {
                    return daemon.isAlive();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            deadline.pauseBetweenProbes(Duration.ofMillis(20));
        }
        return false;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int listenPort() {
        return listenPort;
    }

    @Override
    public List<Long> processes() {
        return List.of(server.pid(), client.pid());
    }

    @Override
    public String describe() {
        return "stunnel " + BenchFiles.TLS13_SUITE;
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
