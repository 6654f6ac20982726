package io.distgate.gateway.local;

import io.distgate.bridge.epmd.EpmdCodec;
import io.distgate.bridge.epmd.EpmdException;
import io.distgate.bridge.epmd.NamesRequest;
import io.distgate.bridge.epmd.NamesResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code epmd} daemon on its own loopback port, run in the foreground so the
 * harness owns its PID. Nodes find it through {@code ERL_EPMD_PORT}.
 */
public final class EpmdDaemon implements AutoCloseable {
    private static final int START_ATTEMPTS = 5;
    private static final Duration READY_BOUND = Duration.ofSeconds(10);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int QUERY_TIMEOUT_MS = 2000;

    private final Process process;
    private final int port;
    private final LogRing log = new LogRing(200);

    private EpmdDaemon(Process process, int port) {
        this.process = process;
        this.port = port;
        Processes.pump(process.getInputStream(), "epmd-" + port, log::add, log::close);
    }

    /**
     * Starts epmd on a probed free port. The port may be taken between probe and bind
     * (see {@link FreePorts}); epmd then exits at once, and a new port is tried.
     */
    public static EpmdDaemon start() {
        StringBuilder failures = new StringBuilder();
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = FreePorts.probe();
            Process process = Processes.start(new ProcessBuilder(
                    ErlangTools.epmd().toString(), "-port", Integer.toString(port), "-address", "127.0.0.1")
                    .redirectErrorStream(true));
            EpmdDaemon daemon = new EpmdDaemon(process, port);
            if (daemon.awaitAccepting()) {
                return daemon;
            }
            failures.append("  port ").append(port).append(":\n").append(daemon.log.tail(20));
            daemon.close();
        }
        throw new IllegalStateException("epmd did not start in " + START_ATTEMPTS + " attempts:\n" + failures);
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

    /** Registered alive names and their distribution ports, from a NAMES_REQ. */
    public Map<String, Integer> names() {
        return queryNames().orElseThrow(() -> new IllegalStateException(
                "epmd on port " + port + " did not answer NAMES_REQ\n" + log.tail(20)));
    }

    public List<String> logLines() {
        return log.lines();
    }

    @Override
    public void close() {
        Processes.terminate(process, STOP_GRACE);
    }

    /** Bounded polling: ready once epmd answers a query while our process still runs. */
    private boolean awaitAccepting() {
        Deadline deadline = Deadline.after(READY_BOUND);
        while (process.isAlive() && !deadline.expired()) {
            if (queryNames().isPresent()) {
                // An epmd of someone else on the port would answer too; ours would have
                // exited on the failed bind, so it must still be running.
                return process.isAlive();
            }
            deadline.pauseBetweenProbes(PROBE_INTERVAL);
        }
        return false;
    }

    private Optional<Map<String, Integer>> queryNames() {
        ByteBuf request = Unpooled.buffer();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), QUERY_TIMEOUT_MS);
            socket.setSoTimeout(QUERY_TIMEOUT_MS);
            EpmdCodec.encodeRequest(new NamesRequest(), request);
            request.readBytes(socket.getOutputStream(), request.readableBytes());
            byte[] answer = socket.getInputStream().readAllBytes();
            NamesResponse reply = EpmdCodec.decodeNamesResponse(Unpooled.wrappedBuffer(answer));
            Map<String, Integer> names = new LinkedHashMap<>();
            reply.entries().forEach(e -> names.put(e.name(), e.port()));
            return Optional.of(names);
        } catch (IOException | EpmdException e) {
            return Optional.empty();
        } finally {
            request.release();
        }
    }
}
