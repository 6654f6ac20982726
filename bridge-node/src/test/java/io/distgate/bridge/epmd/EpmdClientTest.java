package io.distgate.bridge.epmd;

import static org.assertj.core.api.Assertions.assertThat;

import io.distgate.bridge.epmd.EpmdException.Reason;
import io.distgate.bridge.netty.NettyTransport;
import io.netty.channel.EventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real epmd on a free port, with a fake node registered through ALIVE2_REQ. */
class EpmdClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String NODE = "distgate_fake";
    private static final int NODE_PORT = 45678;

    private static RealEpmd epmd;
    private static EventLoopGroup group;
    private static EpmdClient client;
    private static FakeNodeRegistration node;

    @BeforeAll
    static void startEpmdAndRegisterNode() throws Exception {
        epmd = RealEpmd.start();
        NettyTransport transport = NettyTransport.best();
        group = transport.newGroup(1, "epmd-client-test");
        client = new EpmdClient(group, transport);
        // Registered as an OTP 25+ node does: type 'M', TCP, versions 6..6.
        node = FakeNodeRegistration.register(epmd.port(),
                new Alive2Request(new NodeEntry(NODE_PORT, 77, 0, 6, 6, NODE, new byte[0])));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (node != null) {
            node.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (epmd != null) {
            epmd.stop();
        }
    }

    @Test
    void realEpmdAcceptsTheFakeRegistrationWithAnExtendedCreation() {
        Alive2Response registration = node.response();

        assertThat(registration.registered()).isTrue();
        assertThat(registration.extended()).as("HighestVersion 6 gets ALIVE2_X_RESP").isTrue();
        assertThat(registration.creation()).isPositive();
    }

    @Test
    void portPleaseFindsRegisteredNodeWithItsPortVersionsAndNodeType() throws Exception {
        Port2Response response = client.portPlease(epmd.address(), NODE, TIMEOUT).get(10, TimeUnit.SECONDS);

        assertThat(response)
                .isEqualTo(new Port2Response.Found(new NodeEntry(NODE_PORT, 77, 0, 6, 6, NODE, new byte[0])));
    }

    @Test
    void portPleaseOfUnregisteredNameIsNotFound() throws Exception {
        Port2Response response = client.portPlease(epmd.address(), "nobody_here", TIMEOUT).get(10, TimeUnit.SECONDS);

        assertThat(response).isEqualTo(new Port2Response.NotFound(1));
    }

    @Test
    void namesListsRegisteredNodeAndTheEpmdPort() throws Exception {
        NamesResponse response = client.names(epmd.address(), TIMEOUT).get(10, TimeUnit.SECONDS);

        assertThat(response.epmdPort()).isEqualTo(epmd.port());
        assertThat(response.entries()).contains(new NamesResponse.Entry(NODE, NODE_PORT));
    }

    @Test
    void portPleaseResolvesHostNameOffTheEventLoop() throws Exception {
        Port2Response response = client.portPlease("localhost", epmd.port(), NODE, TIMEOUT).get(10, TimeUnit.SECONDS);

        assertThat(response).isInstanceOf(Port2Response.Found.class);
    }

    @Test
    void namesAcceptsAnUnresolvedAddress() throws Exception {
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("localhost", epmd.port());

        NamesResponse response = client.names(unresolved, TIMEOUT).get(10, TimeUnit.SECONDS);

        assertThat(response.entries()).contains(new NamesResponse.Entry(NODE, NODE_PORT));
    }

    @Test
    void closingTheAlive2ConnectionUnregistersTheNode() throws Exception {
        String name = "distgate_short_lived";
        try (FakeNodeRegistration shortLived = FakeNodeRegistration.register(epmd.port(),
                new Alive2Request(new NodeEntry(40000, 77, 0, 6, 6, name, new byte[0])))) {
            assertThat(shortLived.response().registered()).isTrue();
            assertThat(client.portPlease(epmd.address(), name, TIMEOUT).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(Port2Response.Found.class);
        }

        // epmd notices the close on its next select() round; poll with a bound.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Port2Response response;
        do {
            response = client.portPlease(epmd.address(), name, TIMEOUT).get(10, TimeUnit.SECONDS);
        } while (response instanceof Port2Response.Found && System.nanoTime() < deadline);
        assertThat(response).isEqualTo(new Port2Response.NotFound(1));
    }

    @Test
    void portPleaseAgainstClosedPortFailsFastNamingTheAddress() throws Exception {
        InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), RealEpmd.freePort());
        long start = System.nanoTime();

        Throwable failure = failure(client.portPlease(nobody, NODE, Duration.ofSeconds(10)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(failure).isInstanceOf(ConnectException.class)
                .hasMessageContaining("cannot connect to " + nobody)
                .hasMessageContaining("is epmd listening there?");
    }

    @Test
    void serverThatAcceptsAndNeverAnswersFailsAtTheDeadline() throws Exception {
        // The kernel completes the TCP handshake from the backlog; nobody ever reads or writes.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort());
            long start = System.nanoTime();

            Throwable failure = failure(client.names(address, Duration.ofMillis(300)));

            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(290)).isLessThan(Duration.ofSeconds(5));
            assertThat(failure).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("EPMD NAMES at " + address)
                    .hasMessageContaining("300 ms deadline");
        }
    }

    @Test
    void replyThatIsNotEpmdFailsWithMalformed() throws Exception {
        try (OneShotServer http = new OneShotServer("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII))) {
            Throwable failure = failure(client.portPlease(http.address(), NODE, TIMEOUT));

            assertThat(failure).isInstanceOf(EpmdException.class).hasMessageContaining(http.address().toString());
            assertThat(((EpmdException) failure).kind()).isEqualTo(Reason.MALFORMED);
        }
    }

    @Test
    void closeWithoutReplyFailsWithTruncated() throws Exception {
        try (OneShotServer mute = new OneShotServer(new byte[0])) {
            Throwable failure = failure(client.portPlease(mute.address(), NODE, TIMEOUT));

            assertThat(failure).isInstanceOf(EpmdException.class);
            assertThat(((EpmdException) failure).kind()).isEqualTo(Reason.TRUNCATED);
        }
    }

    @Test
    void namesReplyOverTheCapFailsWithOversized() throws Exception {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        reply.writeBytes(Bytes.array(0x00, 0x00, 0x11, 0x11)); // EPMDPortNo 4369
        byte[] line = "name n at port 1\n".getBytes(StandardCharsets.US_ASCII);
        while (reply.size() <= EpmdClient.MAX_NAMES_REPLY_BYTES) {
            reply.writeBytes(line);
        }
        try (OneShotServer flood = new OneShotServer(reply.toByteArray())) {
            Throwable failure = failure(client.names(flood.address(), TIMEOUT));

            assertThat(failure).isInstanceOf(EpmdException.class).hasMessageContaining("MAX_NAMES_REPLY_BYTES");
            assertThat(((EpmdException) failure).kind()).isEqualTo(Reason.OVERSIZED);
        }
    }

    /** The cause the future failed with; waits at most 10 s. */
    private static Throwable failure(CompletableFuture<?> future) throws Exception {
        try {
            Object value = future.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
