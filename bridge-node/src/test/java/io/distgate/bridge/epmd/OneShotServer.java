package io.distgate.bridge.epmd;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Stands in for a misbehaving epmd: accepts one connection, reads one framed request, writes a
 * fixed reply and closes. For replies a real epmd never sends.
 */
final class OneShotServer implements AutoCloseable {

    private final ServerSocket server;
    private final Thread thread;

    OneShotServer(byte[] reply) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(reply), "one-shot-epmd-" + server.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    private void serve(byte[] reply) {
        try (Socket socket = server.accept()) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            in.readFully(new byte[in.readUnsignedShort()]);
            OutputStream out = socket.getOutputStream();
            out.write(reply);
            out.flush();
        } catch (IOException expected) {
            // The client may close first (for example when the reply exceeds its cap).
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
