package io.distgate.gateway.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Finds loopback TCP ports that nothing listens on.
 *
 * <p>The port is probed by binding port 0 and closing the socket again, so another
 * process may take it before the caller binds it. Callers that start a daemon on such
 * a port therefore check that the daemon really bound it and retry with a new port
 * when it did not ({@link EpmdDaemon} does). A port used as "closed" (nothing
 * listening) is open to the same race, which on a test machine is negligible.
 */
public final class FreePorts {
    private FreePorts() {
    }

    public static int probe() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("probing a free loopback port failed", e);
        }
    }
}
