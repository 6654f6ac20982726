package io.distgate.it.harness;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.*;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for the gateway's name service, for testing distgate_epmd without a gateway:
 * it reads one PORT_PLEASE2_REQ carrying a full node name, writes the reply the test chose
 * and closes, as EPMD does. A {@code null} reply keeps the connection open and silent, to
 * test the node's deadline.
 */
public final class FakeNameService implements AutoCloseable {
    private static final int PORT_PLEASE2_REQ = 122;
    private static final int PORT2_RESP = 119;
    private static final int READ_TIMEOUT_MS = 5000;

    private final ServerSocket server;
    private final Function<String, byte[]> replies;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> silent = new CopyOnWriteArrayList<>();

    private FakeNameService(Function<String, byte[]> replies) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.replies = replies;
        Thread acceptor = new Thread(this::acceptLoop, "fake-name-service-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts on a free loopback port; {@code replies} maps a full node name to the reply bytes. */
    public static FakeNameService start(Function<String, byte[]> replies) throws IOException {
        return new FakeNameService(replies);
    }

    /** {@code host:port} for {@code -distgate_gateway} or {@code DISTGATE_GATEWAY}. */
    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** The full node names asked for, in arrival order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The name is not routed by the gateway: the node uses EPMD. */
    public static byte[] notRouted() {
        return new byte[] {(byte) PORT2_RESP, 1};
    }

    /** Routed, but the node is not available at its site: the connect fails. */
    public static byte[] notAvailable() {
        return new byte[] {(byte) PORT2_RESP, 2};
    }

    /** Routed: dial the gateway at {@code port}. Layout of EPMD's PORT2_RESP (fact sheet 1.2). */
    public static byte[] routed(int port, String alive) {
        byte[] name = alive.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(14 + name.length)
                .put((byte) PORT2_RESP).put((byte) 0)
                .putShort((short) port)
                .put((byte) 77)          // NodeType: normal node
                .put((byte) 0)           // Protocol: TCP/IPv4
                .putShort((short) 6)     // HighestVersion
                .putShort((short) 6)     // LowestVersion
                .putShort((short) name.length).put(name)
                .putShort((short) 0)     // Elen: no Extra
                .array();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : silent) {
            socket.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                answer(socket);
            } catch (IOException e) {
                closeQuietly(socket); // this client misbehaved; serve the next
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing left to release.
        }
    }

    private void answer(Socket socket) throws IOException {
        socket.setSoTimeout(READ_TIMEOUT_MS);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] body = new byte[in.readUnsignedShort()];
        in.readFully(body);
        if (body.length == 0 || body[0] != PORT_PLEASE2_REQ) {
            socket.close();
            return;
        }
        String fullName = new String(body, 1, body.length - 1, StandardCharsets.UTF_8);
        requests.add(fullName);
        byte[] reply = replies.apply(fullName);
        if (reply == null) {
            silent.add(socket);
            return;
        }
        socket.getOutputStream().write(reply);
        socket.close();
    }
}
