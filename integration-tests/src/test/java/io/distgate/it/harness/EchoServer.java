package io.distgate.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP echo server on plain java.net, one thread per connection, so relay tests check
 * the relay against something that shares no code with it.
 */
public final class EchoServer implements AutoCloseable {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private EchoServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::acceptLoop, "echo-accept-" + server.getLocalPort());
    }

    /** Starts on a free loopback port. */
    public static EchoServer start() throws IOException {
        return new EchoServer();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                accepted.incrementAndGet();
                open.add(socket);
                daemon(() -> echo(socket), "echo-" + socket.getPort());
            } catch (IOException closed) {
                return; // the server socket was closed
            }
        }
    }

    private void echo(Socket socket) {
        byte[] buffer = new byte[BUFFER_SIZE];
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException reset) {
            // the peer reset the connection: nothing left to echo
        } finally {
            open.remove(socket);
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
