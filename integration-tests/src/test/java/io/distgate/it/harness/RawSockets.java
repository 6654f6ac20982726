package io.distgate.it.harness;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Plain sockets for feeding the gateway bytes a real node would never send. */
public final class RawSockets {

    private static final int TIMEOUT_MS = 10_000;

    private RawSockets() {
    }

    /** Sends {@code bytes} and reports whether the peer closed the connection within 10 s. */
    public static boolean sendAndAwaitClose(String hostPort, byte[] bytes) throws IOException {
        try (Socket socket = connect(hostPort)) {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[4096];
            try {
                while (in.read(sink) >= 0) {
                    // drain whatever the peer says before it closes
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true; // reset by the peer: closed too
            }
        }
    }

    /** PORT_PLEASE2 for a full node name to the name service; the port, or -result on refusal. */
    public static int portPlease(String hostPort, String fullName) throws IOException {
        byte[] name = fullName.getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = connect(hostPort)) {
            var out = new java.io.DataOutputStream(socket.getOutputStream());
            out.writeShort(1 + name.length); // request length
            out.writeByte(122);              // PORT_PLEASE2_REQ
            out.write(name);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int tag = in.readUnsignedByte(); // 119 PORT2_RESP
            int result = in.readUnsignedByte();
            if (tag != 119) {
                throw new IOException("name service answered tag " + tag);
            }
            return result == 0 ? in.readUnsignedShort() : -result;
        }
    }

    private static Socket connect(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
                TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        return socket;
    }
}
