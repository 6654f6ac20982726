package io.distgate.bridge.netty;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Native epoll when the platform has it (Linux x86_64 ships in the jar), NIO otherwise. One
 * place decides, so every bootstrap in the gateway uses the same kind of channel.
 */
public final class NettyTransport {

    private final boolean epoll;

    private NettyTransport(boolean epoll) {
        this.epoll = epoll;
    }

    /** Epoll if available, otherwise NIO. */
    public static NettyTransport best() {
        return new NettyTransport(Epoll.isAvailable());
    }

    public static NettyTransport nio() {
        return new NettyTransport(false);
    }

    public boolean isNative() {
        return epoll;
    }

    public String name() {
        return epoll ? "epoll" : "nio";
    }

    /** An event loop group; {@code threads} 0 means Netty's default (twice the cores). */
    public EventLoopGroup newGroup(int threads, String threadPrefix) {
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix, true), factory);
    }

    /**
     * Keeps at most {@code bytes} not yet sent in the kernel's send buffer of {@code channel}
     * ({@code TCP_NOTSENT_LOWAT}, epoll only; NIO has no such option and leaves the kernel's
     * default). A multiplexed connection wants this: bulk data then waits in the multiplexer's own
     * per-stream queues, where a small message of another stream can pass it, instead of in one
     * kernel queue in front of everything.
     */
    public void limitUnsentBytes(Channel channel, int bytes) {
        if (channel instanceof EpollSocketChannel socket) {
            socket.config().setTcpNotSentLowAt(bytes);
        }
    }

    public Class<? extends SocketChannel> socketChannel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
