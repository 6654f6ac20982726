package io.distgate.it.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distgate.gateway.local.Deadline;
import io.distgate.it.harness.WanRelay.Direction;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The WAN emulation the cross-site scenarios rely on, checked against plain loopback sockets. */
class WanRelayIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int READ_TIMEOUT_MS = 5_000;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final long MS = 1_000_000L;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ExecutorService writers = Executors.newCachedThreadPool();
    private EchoServer echo;

    @BeforeEach
    void startEcho() throws IOException {
        echo = EchoServer.start();
        toClose.add(echo);
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        writers.shutdownNow();
        assertThat(writers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @ParameterizedTest(name = "one-way delay {0} ms")
    @ValueSource(ints = {0, 10})
    void bytesPassIntactBothWaysInOrderUnderLoad(int delayMs) throws Exception {
        WanRelay relay = relayTo(echo.port()).delay(Duration.ofMillis(delayMs));
        byte[] sent = randomBytes(20 << 20, 1);
        Socket client = connect(relay);

        long start = System.nanoTime();
        CompletableFuture<Void> writing = writeInRandomChunks(client, sent, new Random(2));
        byte[] received = readInRandomChunks(client, sent.length, new Random(3));
        writing.get(30, TimeUnit.SECONDS);
        report("20 MiB echoed with one-way delay %d ms in %d ms", delayMs, (System.nanoTime() - start) / MS);

        assertThat(Arrays.mismatch(sent, received)).as("first differing byte").isEqualTo(-1);
        assertThat(relay.bytesForwarded(Direction.CLIENT_TO_TARGET)).isEqualTo(sent.length);
        assertThat(relay.bytesForwarded(Direction.TARGET_TO_CLIENT)).isEqualTo(sent.length);
    }

    @Test
    void delayOf25msGivesRoundTripsOfAtLeast50ms() throws Exception {
        WanRelay relay = relayTo(echo.port()).delay(Duration.ofMillis(25));
        Socket client = connect(relay);
        roundTrip(client, "warm-up"); // connects the relay to the target and warms the JIT

        long[] roundTrips = new long[10];
        for (int i = 0; i < roundTrips.length; i++) {
            long start = System.nanoTime();
            assertThat(roundTrip(client, "ping-" + i)).isEqualTo("ping-" + i);
            roundTrips[i] = System.nanoTime() - start;
        }
        long[] sorted = roundTrips.clone();
        Arrays.sort(sorted);
        report("round trips with 25 ms one-way delay: min %.1f ms, median %.1f ms, max %.1f ms",
                sorted[0] / 1e6, sorted[sorted.length / 2] / 1e6, sorted[sorted.length - 1] / 1e6);

        assertThat(sorted[0]).isGreaterThanOrEqualTo(50 * MS);
        assertThat(sorted[sorted.length - 1]).isLessThan(80 * MS);
    }

    @Test
    void delayAddsLatencyWithoutLimitingBandwidth() throws Exception {
        WanRelay relay = relayTo(echo.port()).delay(Duration.ofMillis(25));
        byte[] sent = randomBytes(8 << 20, 4);
        Socket client = connect(relay);
        roundTrip(client, "warm-up");

        long start = System.nanoTime();
        CompletableFuture<Void> writing = writeInRandomChunks(client, sent, new Random(5));
        byte[] received = readExactly(client, sent.length);
        long elapsed = System.nanoTime() - start;
        writing.get(10, TimeUnit.SECONDS);
        report("8 MiB echoed with 25 ms one-way delay in %d ms", elapsed / MS);

        assertThat(received).isEqualTo(sent);
        // A relay that waited out the delay per chunk would need ~128 chunks x 50 ms here.
        assertThat(elapsed).isBetween(50 * MS, 1_000 * MS);
    }

    @Test
    void rateLimitOf1MBPerSecondMakes2MBTakeAbout2Seconds() throws Exception {
        WanRelay relay = relayTo(echo.port()).rateLimit(1_000_000);
        byte[] sent = randomBytes(2_000_000, 6);
        Socket client = connect(relay);

        long start = System.nanoTime();
        CompletableFuture<Void> writing = writeInRandomChunks(client, sent, new Random(7));
        byte[] received = readExactly(client, sent.length);
        long elapsed = System.nanoTime() - start;
        writing.get(10, TimeUnit.SECONDS);
        report("2 MB echoed at 1 MB/s per direction in %d ms", elapsed / MS);

        assertThat(received).isEqualTo(sent);
        assertThat(elapsed).isBetween(1_800 * MS, 2_600 * MS);
    }

    @Test
    void cutSilencesOpenAndNewConnectionsWithoutClosingThem() throws Exception {
        WanRelay relay = relayTo(echo.port());
        Socket open = connect(relay);
        assertThat(roundTrip(open, "before the cut")).isEqualTo("before the cut");

        relay.cut();
        send(open, "into the void");
        assertSilentForOneSecond(open); // a timeout, not an end of stream: still open

        int targetConnections = echo.accepted();
        Socket during = connect(relay);
        poll(() -> relay.connectionsAccepted() == 2, "the relay accepts during the cut");
        send(during, "also into the void");
        assertSilentForOneSecond(during);

        assertThat(echo.accepted()).as("connections the target saw").isEqualTo(targetConnections);
        assertThat(relay.openConnections()).isEqualTo(2);
    }

    @Test
    void healResetsConnectionsThatLivedThroughTheCutAndServesNewOnes() throws Exception {
        WanRelay relay = relayTo(echo.port());
        Socket open = connect(relay);
        roundTrip(open, "before the cut");
        relay.cut();
        Socket during = connect(relay);
        poll(() -> relay.connectionsAccepted() == 2, "the relay accepts during the cut");
        send(open, "lost");
        long forwardedBeforeHeal = relay.bytesForwarded(Direction.CLIENT_TO_TARGET);

        relay.heal();

        assertThat(closedByPeer(open)).as("connection open before the cut is closed").isTrue();
        assertThat(closedByPeer(during)).as("connection opened during the cut is closed").isTrue();
        poll(() -> relay.openConnections() == 0, "the old connections are gone");
        Socket fresh = connect(relay);
        assertThat(roundTrip(fresh, "after the heal")).isEqualTo("after the heal");
        assertThat(relay.bytesForwarded(Direction.CLIENT_TO_TARGET) - forwardedBeforeHeal)
                .as("bytes forwarded since the heal: only the new ones, nothing replayed")
                .isEqualTo("after the heal".length());
    }

    @Test
    void closeDuringCutIsNotPassedOnUntilTheHeal() throws Exception {
        try (ServerSocket target = listen()) {
            WanRelay relay = relayTo(target.getLocalPort());
            Socket client = connect(relay);
            Socket server = accept(target);

            relay.cut();
            client.close();
            // The target must find out by itself, as it would behind a real cut.
            assertSilentForOneSecond(server);

            relay.heal();
            assertThat(closedByPeer(server)).as("target side closed by the heal").isTrue();
        }
    }

    @Test
    void stallHoldsBothDirectionsThenDeliversEverythingInOrder() throws Exception {
        try (ServerSocket target = listen()) {
            WanRelay relay = relayTo(target.getLocalPort());
            Socket client = connect(relay);
            Socket server = accept(target);
            byte[] up = randomBytes(256 * 1024, 8);
            byte[] down = randomBytes(256 * 1024, 9);

            long start = System.nanoTime();
            relay.stall(Duration.ofSeconds(1));
            assertThat(System.nanoTime() - start).as("stall() returns at once").isLessThan(100 * MS);
            writeInRandomChunks(client, up, new Random(10)).get(5, TimeUnit.SECONDS);
            writeInRandomChunks(server, down, new Random(11)).get(5, TimeUnit.SECONDS);
            CompletableFuture<Arrival> upstream = arrival(server, up.length);
            CompletableFuture<Arrival> downstream = arrival(client, down.length);

            assertHeldThenDelivered("to the target", upstream.get(10, TimeUnit.SECONDS), up, start);
            assertHeldThenDelivered("to the client", downstream.get(10, TimeUnit.SECONDS), down, start);
        }
    }

    @Test
    void closingEitherEndClosesTheOtherAfterDeliveringWhatWasSentBefore() throws Exception {
        try (ServerSocket target = listen()) {
            WanRelay relay = relayTo(target.getLocalPort()).delay(Duration.ofMillis(25));
            byte[] last = randomBytes(100_000, 12);

            Socket client = connect(relay);
            Socket server = accept(target);
            client.getOutputStream().write(last);
            client.close();
            assertThat(readExactly(server, last.length)).isEqualTo(last);
            assertThat(server.getInputStream().read()).as("end of stream at the target").isEqualTo(-1);

            Socket client2 = connect(relay);
            Socket server2 = accept(target);
            server2.getOutputStream().write(last);
            server2.close();
            assertThat(readExactly(client2, last.length)).isEqualTo(last);
            assertThat(client2.getInputStream().read()).as("end of stream at the client").isEqualTo(-1);
            poll(() -> relay.openConnections() == 0, "both connections are gone");
        }
    }

    @Test
    void countsBytesPerDirectionAndConnections() throws Exception {
        try (ServerSocket target = listen()) {
            WanRelay relay = relayTo(target.getLocalPort());
            Socket client = connect(relay);
            Socket server = accept(target);

            client.getOutputStream().write(new byte[1_000]);
            readExactly(server, 1_000);
            server.getOutputStream().write(new byte[3_000]);
            readExactly(client, 3_000);

            assertThat(relay.bytesForwarded(Direction.CLIENT_TO_TARGET)).isEqualTo(1_000);
            assertThat(relay.bytesForwarded(Direction.TARGET_TO_CLIENT)).isEqualTo(3_000);
            assertThat(relay.connectionsAccepted()).isEqualTo(1);
            assertThat(relay.openConnections()).isEqualTo(1);
            client.close();
            poll(() -> relay.openConnections() == 0, "the closed connection is no longer counted");
        }
    }

    @Test
    void closeAllConnectionsResetsThemAndNewOnesStillWork() throws Exception {
        WanRelay relay = relayTo(echo.port());
        Socket first = connect(relay);
        Socket second = connect(relay);
        roundTrip(first, "one");
        roundTrip(second, "two");

        relay.closeAllConnections();

        assertThat(closedByPeer(first)).isTrue();
        assertThat(closedByPeer(second)).isTrue();
        poll(() -> relay.openConnections() == 0, "no connection left open");
        assertThat(roundTrip(connect(relay), "three")).isEqualTo("three");
    }

    @Test
    void closeReleasesThePortAndEndsTheRelayThreads() throws Exception {
        WanRelay relay = relayTo(echo.port());
        Socket client = connect(relay);
        roundTrip(client, "hello");
        String prefix = relay.threadNamePrefix();
        assertThat(relayThreads(prefix)).as("threads before close").isNotEmpty();

        relay.close();

        assertThat(relayThreads(prefix)).as("threads after close").isEmpty();
        assertThat(closedByPeer(client)).isTrue();
        try (ServerSocket rebound = new ServerSocket()) {
            rebound.setReuseAddress(true); // the relay's accepted sockets may linger in TIME_WAIT
            rebound.bind(new InetSocketAddress(LOOPBACK, relay.port()));
        }
        relay.close(); // a second close is harmless
    }

    // ---- helpers ----

    /** What one side received: the bytes and when the first and last of them arrived. */
    private record Arrival(byte[] bytes, long firstByteNanos, long lastByteNanos) {
    }

    private WanRelay relayTo(int port) throws IOException {
        WanRelay relay = WanRelay.start(LOOPBACK.getHostAddress(), port);
        toClose.add(relay);
        return relay;
    }

    private ServerSocket listen() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        server.setSoTimeout(READ_TIMEOUT_MS);
        return server;
    }

    private Socket accept(ServerSocket server) throws IOException {
        Socket socket = server.accept();
        socket.setSoTimeout(READ_TIMEOUT_MS);
        toClose.add(socket);
        return socket;
    }

    private Socket connect(WanRelay relay) throws IOException {
        Socket socket = new Socket();
        toClose.add(socket);
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(LOOPBACK, relay.port()), READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        send(socket, text);
        return new String(readExactly(socket, text.length()), StandardCharsets.UTF_8);
    }

    private static byte[] readExactly(Socket socket, int length) throws IOException {
        byte[] bytes = new byte[length];
        new DataInputStream(socket.getInputStream()).readFully(bytes);
        return bytes;
    }

    /** Reads in chunks of random size, so the relay sees reads and writes that never line up. */
    private static byte[] readInRandomChunks(Socket socket, int length, Random sizes) throws IOException {
        byte[] bytes = new byte[length];
        InputStream in = socket.getInputStream();
        int done = 0;
        while (done < length) {
            int n = in.read(bytes, done, Math.min(length - done, 1 + sizes.nextInt(64 * 1024)));
            if (n < 0) {
                throw new IOException("end of stream after " + done + " of " + length + " bytes");
            }
            done += n;
        }
        return bytes;
    }

    /** Writes on another thread, so the test can read the echo while the writes go on. */
    private CompletableFuture<Void> writeInRandomChunks(Socket socket, byte[] bytes, Random sizes) {
        return CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (int done = 0; done < bytes.length; ) {
                    int n = Math.min(bytes.length - done, 1 + sizes.nextInt(64 * 1024));
                    out.write(bytes, done, n);
                    done += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, writers);
    }

    private CompletableFuture<Arrival> arrival(Socket socket, int length) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                InputStream in = socket.getInputStream();
                byte[] bytes = new byte[length];
                int first = in.read();
                long firstAt = System.nanoTime();
                if (first < 0) {
                    throw new IOException("end of stream before any byte");
                }
                bytes[0] = (byte) first;
                new DataInputStream(in).readFully(bytes, 1, length - 1);
                return new Arrival(bytes, firstAt, System.nanoTime());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, writers);
    }

    /** A stall of 1 s from {@code stallStart}: nothing before it ends, then everything, soon. */
    private static void assertHeldThenDelivered(String way, Arrival arrival, byte[] sent, long stallStart) {
        long first = arrival.firstByteNanos() - stallStart;
        long last = arrival.lastByteNanos() - stallStart;
        report("stall of 1 s: %s, first byte after %d ms, last after %d ms", way, first / MS, last / MS);
        assertThat(first).as("first byte " + way).isGreaterThanOrEqualTo(1_000 * MS);
        assertThat(last).as("last byte " + way).isLessThan(1_500 * MS);
        assertThat(arrival.bytes()).as("bytes " + way).isEqualTo(sent);
    }

    private static void assertSilentForOneSecond(Socket socket) throws IOException {
        socket.setSoTimeout(1_000);
        assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        socket.setSoTimeout(READ_TIMEOUT_MS);
    }

    /** Whether the peer closed or reset the connection before the read timeout. */
    private static boolean closedByPeer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] sink = new byte[4096];
        try {
            while (in.read(sink) >= 0) {
                // drain what was delivered before the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    private static List<Thread> relayThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(prefix) && thread.isAlive())
                .toList();
    }

    /** The relay's counters change on its own threads: probe them until {@link #WAIT} passes. */
    private static void poll(BooleanSupplier condition, String what) {
        Deadline deadline = Deadline.after(WAIT);
        while (!condition.getAsBoolean()) {
            if (deadline.expired()) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            deadline.pauseBetweenProbes(Duration.ofMillis(10));
        }
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void report(String format, Object... args) {
        System.out.printf("wan-relay: " + format + "%n", args);
    }
}
