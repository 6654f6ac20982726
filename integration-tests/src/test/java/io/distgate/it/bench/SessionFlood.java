package io.distgate.it.bench;

import io.distgate.bridge.dist.Cookie;
import io.distgate.bridge.dist.DistFlags;
import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.handshake.HandshakeCodec;
import io.distgate.bridge.handshake.HandshakeMessage;
import io.distgate.bridge.handshake.InitiatorHandshake;
import io.distgate.gateway.local.ProcStatus;
import io.distgate.it.harness.TwoSites;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;

/**
 * Many concurrent node-pair sessions through one gateway pair without starting many nodes: this
 * class dials gateway A's proxy port for node B as 1,000 distinct site-A node names
 * ({@code a0001@localhost} ...) and completes each distribution handshake with site A's cookie;
 * the real node B accepts each as a hidden connection. With every session up, the resident
 * memory of both gateways is read from {@code /proc}.
 */
final class SessionFlood {

    static final String WORKLOAD = "sessions";
    private static final int PARALLEL = 8;
    private static final int TIMEOUT_MS = 20_000;
    /** What an OTP 25 node offers; the gateway takes away what it does not relay. */
    private static final long FLAGS = DistFlags.MANDATORY_25 | DistFlags.MANDATORY_25_DIGEST | DistFlags.DIST_MONITOR
            | DistFlags.DIST_MONITOR_NAME | DistFlags.UNICODE_IO | DistFlags.SMALL_ATOM_TAGS | DistFlags.SEND_SENDER
            | DistFlags.BIG_SEQTRACE_LABELS | DistFlags.EXIT_PAYLOAD | DistFlags.UNLINK_ID | DistFlags.SPAWN
            | DistFlags.ALIAS | DistFlags.V4_NC | DistFlags.FRAGMENTS | DistFlags.DIST_HDR_ATOM_CACHE;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionFlood() {
    }

    static Measurement run(DistgatePath path, int count) {
        long idleA = ProcStatus.residentBytes(path.gatewayA().pid());
        long idleB = ProcStatus.residentBytes(path.gatewayB().pid());
        int hiddenBefore = hiddenOnB(path);
        int proxyPort = proxyPortFor(path.nameServiceA(), path.b().name());
        List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                NodeName as = NodeName.parse(String.format("a%04d@localhost", i));
                done.add(pool.submit(() -> sockets.add(dial(proxyPort, as, NodeName.parse(path.b().name())))));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double setupSeconds = (System.nanoTime() - start) / 1e9;
            int hidden = hiddenOnB(path) - hiddenBefore;
            long rssA = ProcStatus.residentBytes(path.gatewayA().pid());
            long rssB = ProcStatus.residentBytes(path.gatewayB().pid());
            return Measurement.of(WORKLOAD, path.id()).put("sessions", count).put("hidden_on_b", hidden)
                    .put("setup_s", setupSeconds)
                    .put("rss_a_mb", rssA / 1e6).put("rss_b_mb", rssB / 1e6)
                    .put("rss_a_idle_mb", idleA / 1e6).put("rss_b_idle_mb", idleB / 1e6)
                    .put("rss_per_session_kb", (rssA - idleA) / 1e3 / count)
                    .put("jvm", String.join(" ", path.jvmArgs())).build();
        } catch (ExecutionException e) {
            throw new IllegalStateException(path.id() + ": a session did not come up: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
            synchronized (sockets) {
                sockets.forEach(SessionFlood::closeQuietly);
            }
            path.b().awaitEval("length(nodes(hidden))", v -> Integer.parseInt(v) <= hiddenBefore, Duration.ofSeconds(60));
        }
    }

    private static int hiddenOnB(DistgatePath path) {
        return Integer.parseInt(path.b().eval("length(nodes(hidden))"));
    }

    /** The name service's PORT_PLEASE2 with a full node name, as distgate_epmd asks it. */
    private static int proxyPortFor(String nameService, String node) {
        String[] hostPort = nameService.split(":");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            byte[] name = node.getBytes(StandardCharsets.US_ASCII);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(1 + name.length);
            out.writeByte(122);
            out.write(name);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int type = in.readUnsignedByte();
            int result = in.readUnsignedByte();
            if (type != 119 || result != 0) {
                throw new IllegalStateException("name service " + nameService + " answered " + type + "/" + result + " for " + node);
            }
            return in.readUnsignedShort();
        } catch (IOException e) {
            throw new UncheckedIOException("asking " + nameService + " for " + node + " failed", e);
        }
    }

    /** One session: the "we started" handshake, version 6, with site A's cookie; the socket stays open. */
    private static Socket dial(int port, NodeName as, NodeName peer) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            InitiatorHandshake hs = new InitiatorHandshake(Cookie.of(TwoSites.COOKIE_A), peer, as, FLAGS,
                    RANDOM.nextInt() & 0x7FFF_FFFFL | 1, 6, RANDOM::nextLong);
            write(out, hs.sendName());
            String status = hs.receive((HandshakeMessage.Status) read(in));
            if (!status.equals(HandshakeMessage.Status.OK)) {
                throw new IOException(as + ": status " + status);
            }
            hs.receive((HandshakeMessage.Challenge) read(in));
            for (HandshakeMessage m : hs.reply(0, 0)) {
                write(out, m);
            }
            hs.receive((HandshakeMessage.ChallengeAck) read(in));
            return socket;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    private static void write(DataOutputStream out, HandshakeMessage message) throws IOException {
        ByteBuf body = Unpooled.buffer();
        HandshakeCodec.encode(message, body);
        byte[] bytes = new byte[body.readableBytes()];
        body.readBytes(bytes);
        out.writeShort(bytes.length);
        out.write(bytes);
        out.flush();
    }

    private static HandshakeMessage read(DataInputStream in) throws IOException {
        byte[] body = new byte[in.readUnsignedShort()];
        in.readFully(body);
        return HandshakeCodec.decodeFromAcceptor(Unpooled.wrappedBuffer(body));
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that is left to do with it.
        }
    }
}
