package io.distgate.bridge.epmd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/**
 * Registers a node that does not exist with a real epmd, through ALIVE2_REQ, so PORT_PLEASE2
 * and NAMES can be tested without starting {@code erl}. The registration lasts as long as the
 * socket is open (fact sheet 1.1); {@link #close()} unregisters.
 */
final class FakeNodeRegistration implements AutoCloseable {

    private final Socket socket;
    private final Alive2Response response;

    private FakeNodeRegistration(Socket socket, Alive2Response response) {
        this.socket = socket;
        this.response = response;
    }

    /** epmd only takes registrations from the same host, hence loopback. */
    static FakeNodeRegistration register(int epmdPort, Alive2Request request) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), epmdPort);
        try {
            socket.setSoTimeout(5_000);
            ByteBuf out = Unpooled.buffer();
            EpmdCodec.encodeRequest(request, out);
            socket.getOutputStream().write(ByteBufUtil.getBytes(out));
            out.release();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int tag = in.readUnsignedByte();
            byte[] reply = new byte[EpmdCodec.alive2ResponseLength(tag)];
            reply[0] = (byte) tag;
            in.readFully(reply, 1, reply.length - 1);
            return new FakeNodeRegistration(socket, EpmdCodec.decodeAlive2Response(Unpooled.wrappedBuffer(reply)));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    Alive2Response response() {
        return response;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
