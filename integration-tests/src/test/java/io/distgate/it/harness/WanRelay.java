package io.distgate.it.harness;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The WAN between two gateways in tests: a TCP relay from a loopback port to a target, with
 * latency, bandwidth, cuts and stalls under the test's control. This machine's kernel has no
 * netem, so the WAN is emulated here, in user space.
 *
 * <p>Each accepted connection opens one connection to the target. The controls apply at once to
 * open connections and may be called from any thread.
 *
 * <p>Memory: the relay reads with AUTO_READ on and queues, without a cap, what is not yet due
 * or not yet allowed by the rate limit. Ending TCP at the relay removes the end-to-end TCP
 * window, so what bounds the bytes in flight is the endpoints' own flow control: the gateways'
 * HTTP/2 (or SSH channel) windows, or in plain tests the size of the payload. Under a delay the
 * queue holds about bandwidth times delay, as a real path does.
 *
 * <p>Threads: one group of {@value #THREADS} NIO event loops, owned by the relay and named
 * {@code wan-relay-<id>-<n>}. Both channels of a relayed connection are on the same loop, so its
 * state needs no locks; only the conditions shared by all connections are synchronized.
 */
public final class WanRelay implements AutoCloseable {

    /** Which way bytes travel through the relay. */
    public enum Direction {
        /** From the accepted connection to the target. */
        CLIENT_TO_TARGET,
        /** From the target back to the accepted connection. */
        TARGET_TO_CLIENT
    }

    private static final int THREADS = 2;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicInteger RELAY_IDS = new AtomicInteger();

    private final InetSocketAddress target;
    private final RelayThreads threads;
    private final EventLoopGroup group;
    private final WanConditions wan = new WanConditions();
    private final Set<RelayedConnection> connections = ConcurrentHashMap.newKeySet();
    private final LongAdder accepted = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Channel server;
    private int port;
    private boolean cut; // guarded by this, with the silencing of connections

    private WanRelay(InetSocketAddress target) {
        this.target = target;
        this.threads = new RelayThreads("wan-relay-" + RELAY_IDS.incrementAndGet() + "-");
        this.group = new MultiThreadIoEventLoopGroup(THREADS, threads, NioIoHandler.newFactory());
    }

    /** Starts relaying from a free loopback port to {@code host:port}; nothing is delayed or limited yet. */
    public static WanRelay start(String host, int port) throws IOException {
        return start(new InetSocketAddress(host, port));
    }

    /** Starts relaying from a free loopback port to {@code target}. */
    public static WanRelay start(InetSocketAddress target) throws IOException {
        WanRelay relay = new WanRelay(target);
        try {
            relay.bind();
        } catch (IOException | RuntimeException e) {
            relay.close();
            throw e;
        }
        return relay;
    }

    private void bind() throws IOException {
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel client) {
                        accept(client);
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("wan relay: binding a loopback port failed", bound.cause());
        }
        server = bound.channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The loopback port clients connect to. */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}, for configuration that takes an address. */
    public String address() {
        return InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
    }

    /** One-way latency in each direction, so the round trip grows by twice this. 0 by default. */
    public WanRelay delay(Duration oneWay) {
        requireNotNegative(oneWay, "delay");
        wan.delay(oneWay);
        return this;
    }

    /** Bandwidth of each direction, shared by all connections like a link; 0 means unlimited (the default). */
    public WanRelay rateLimit(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("rate limit must be >= 0 bytes/s, was " + bytesPerSecond);
        }
        wan.rateLimit(bytesPerSecond);
        return this;
    }

    /**
     * The WAN goes silent: bytes both ways are dropped (including those already in flight), and
     * neither end hears of the other closing. Connections stay open and new ones are accepted,
     * but the target never sees them. The endpoints must notice the silence themselves.
     */
    public synchronized WanRelay cut() {
        cut = true;
        connections.forEach(RelayedConnection::silence);
        return this;
    }

    /**
     * Forwarding resumes for new connections. Those open during the cut are reset: bytes were
     * lost inside them, so their streams are corrupt. Nothing dropped is replayed.
     */
    public synchronized WanRelay heal() {
        cut = false;
        connections.stream().filter(RelayedConnection::silenced).forEach(RelayedConnection::reset);
        return this;
    }

    /**
     * Holds everything both ways for {@code length}, then delivers it all in order; nothing is
     * dropped. Returns at once; the stall ends by itself. Overlapping stalls end with the later.
     */
    public WanRelay stall(Duration length) {
        requireNotNegative(length, "stall");
        wan.stall(length);
        return this;
    }

    /** Resets every open connection at both ends, as a middlebox dropping its state would. */
    public void closeAllConnections() {
        connections.forEach(RelayedConnection::reset);
    }

    /** Bytes handed to the destination socket in {@code direction}, over all connections. */
    public long bytesForwarded(Direction direction) {
        return wan.bytesForwarded(direction);
    }

    /** Connections accepted since the start, including those blackholed by a cut. */
    public long connectionsAccepted() {
        return accepted.sum();
    }

    /** Connections with at least one end still open. */
    public int openConnections() {
        return connections.size();
    }

    /** The prefix of this relay's thread names, for tests that check none survives {@link #close()}. */
    String threadNamePrefix() {
        return threads.namePrefix();
    }

    /** Closes the port and every connection, and returns once the relay's threads have ended. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (server != null) {
            server.close().awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
        }
        connections.forEach(RelayedConnection::close);
        group.shutdownGracefully(0, CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(CLOSE_TIMEOUT.toMillis() * 2);
        try {
            if (!threads.awaitEnded(CLOSE_TIMEOUT)) {
                throw new IllegalStateException("wan relay on port " + port + ": threads still running after "
                        + CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept(SocketChannel client) {
        accepted.increment();
        RelayedConnection connection = new RelayedConnection(client, connections::remove);
        register(connection);
        WanLink toTarget = new WanLink(connection, wan, Direction.CLIENT_TO_TARGET, client.eventLoop());
        client.pipeline().addLast(toTarget);
        if (connection.silenced()) {
            return; // accepted during a cut: its SYN would not have crossed the WAN, so the target never hears of it
        }
        WanLink toClient = new WanLink(connection, wan, Direction.TARGET_TO_CLIENT, client.eventLoop());
        toClient.deliverTo(client);
        ChannelFuture connect = new Bootstrap()
                .group(client.eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(toClient)
                .connect(target);
        connection.target(connect.channel());
        toTarget.deliverTo(connect.channel());
        connect.addListener(connected -> {
            if (connected.isSuccess()) {
                toTarget.pump(); // what the client sent while connecting
            } else {
                client.close();
            }
        });
    }

    /** With {@link #cut()}: a connection accepted as the cut begins is either seen by it or sees it. */
    private synchronized void register(RelayedConnection connection) {
        connections.add(connection);
        if (cut) {
            connection.silence();
        }
    }

    private static void requireNotNegative(Duration duration, String what) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must be >= 0, was " + duration);
        }
    }
}
