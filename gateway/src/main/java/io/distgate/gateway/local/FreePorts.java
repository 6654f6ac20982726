package io.distgate.gateway.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds loopback TCP ports that nothing listens on, for daemons whose port must be known before
 * they start (an EPMD, a gateway name service that nodes are configured with).
 *
 * <p>Ports are drawn below the kernel's ephemeral range ({@code ip_local_port_range}): a port
 * from that range, free when probed, can be handed to any outgoing connection before the
 * daemon binds it (seen here: a gateway failing to bind its name service while nodes were
 * connecting). Below the range only explicit binds compete, and callers that start a daemon
 * still check that it bound and retry with a new port when it did not ({@link EpmdDaemon}).
 */
public final class FreePorts {

    private static final int LOWEST = 10_000;
    private static final int ATTEMPTS = 200;

    private FreePorts() {
    }

    public static int probe() {
        int below = ephemeralRangeStart();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // in use: draw another
            }
        }
        throw new IllegalStateException("no free loopback port found in " + LOWEST + ".." + below + " after " + ATTEMPTS + " attempts");
    }

    /** The first port the kernel may hand out to outgoing connections (32768 when unknown). */
    static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST + 1000 ? start : 32768;
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
