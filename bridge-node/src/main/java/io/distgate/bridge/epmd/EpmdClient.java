package io.distgate.bridge.epmd;

import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.netty.NettyTransport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Asks an epmd for a node's port (PORT_PLEASE2) or for the registered names (NAMES), without
 * blocking. Each query uses its own connection because epmd answers one request and closes
 * (fact sheet 1.1); the reply is whatever arrives until that close, capped in size.
 *
 * <p>Every query has one deadline covering connect, request and reply (STYLE habit 4; the
 * host-name variants include name resolution in it). A query ends in exactly one way and the
 * connection is closed whichever it is:
 * <ul>
 *   <li>the decoded reply;</li>
 *   <li>{@link java.net.ConnectException} naming the address when nothing listens there;</li>
 *   <li>{@link TimeoutException} naming the deadline when it passes;</li>
 *   <li>{@link EpmdException} when the reply is malformed or larger than its cap;</li>
 *   <li>{@link UnknownHostException} when a host name does not resolve;</li>
 *   <li>{@link java.io.IOException} for any other connection failure.</li>
 * </ul>
 * Futures complete on an event loop thread: stages chained to them must not block.
 *
 * <p>Name resolution: the JDK resolver blocks, and Netty's default resolver would call it on the
 * event loop; the non-blocking DNS resolver is not on distgate's class path. So host names are
 * resolved with {@link InetAddress#getByName} on a separate executor (by default a shared,
 * cached pool of daemon threads) and the channel is connected to the resolved address with
 * Netty's resolver disabled. An unresolved {@link InetSocketAddress} takes the same path.
 */
public final class EpmdClient {

    /** NAMES replies grow with the number of registered nodes; 1 MiB is thousands of lines. */
    public static final int MAX_NAMES_REPLY_BYTES = 1 << 20;

    /** The largest PORT2_RESP epmd can produce ({@link EpmdCodec#MAX_PORT2_RESPONSE_BYTES}). */
    public static final int MAX_PORT2_REPLY_BYTES = EpmdCodec.MAX_PORT2_RESPONSE_BYTES;

    private final EventLoopGroup group;
    private final NettyTransport transport;
    private final Executor resolveExecutor;

    /** Resolves host names on a shared pool of daemon threads. */
    public EpmdClient(EventLoopGroup group, NettyTransport transport) {
        this(group, transport, SharedResolver.EXECUTOR);
    }

    /** Resolves host names on {@code resolveExecutor}, which may block in the JDK resolver. */
    public EpmdClient(EventLoopGroup group, NettyTransport transport, Executor resolveExecutor) {
        this.group = Objects.requireNonNull(group, "group");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.resolveExecutor = Objects.requireNonNull(resolveExecutor, "resolveExecutor");
    }

    /**
     * PORT_PLEASE2 for {@code name}: the alive part for a standard epmd, or a full
     * {@code alive@host} for the distgate name service.
     *
     * @throws IllegalArgumentException right away if the name or timeout is unusable
     */
    public CompletableFuture<Port2Response> portPlease(InetSocketAddress epmd, String name, Duration timeout) {
        PortPlease2Request request = new PortPlease2Request(name);
        long nanos = checkTimeout(timeout);
        if (epmd.isUnresolved()) {
            return portPlease(epmd.getHostString(), epmd.getPort(), name, timeout);
        }
        return exchange(epmd, "PORT_PLEASE2 '" + NodeName.printable(name) + "'", request, MAX_PORT2_REPLY_BYTES,
                "MAX_PORT2_REPLY_BYTES", EpmdCodec::decodePort2Response, nanos, timeout);
    }

    /** {@link #portPlease(InetSocketAddress, String, Duration)} with the host resolved off the event loop. */
    public CompletableFuture<Port2Response> portPlease(String host, int port, String name, Duration timeout) {
        new PortPlease2Request(name); // rejects a bad name before any resolution or I/O
        checkTimeout(timeout);
        return resolveThen(host, port, timeout, "PORT_PLEASE2 '" + NodeName.printable(name) + "'",
                (address, remaining) -> portPlease(address, name, remaining));
    }

    /** NAMES: the nodes registered with {@code epmd}. */
    public CompletableFuture<NamesResponse> names(InetSocketAddress epmd, Duration timeout) {
        long nanos = checkTimeout(timeout);
        if (epmd.isUnresolved()) {
            return names(epmd.getHostString(), epmd.getPort(), timeout);
        }
        return exchange(epmd, "NAMES", new NamesRequest(), MAX_NAMES_REPLY_BYTES, "MAX_NAMES_REPLY_BYTES",
                EpmdCodec::decodeNamesResponse, nanos, timeout);
    }

    /** {@link #names(InetSocketAddress, Duration)} with the host resolved off the event loop. */
    public CompletableFuture<NamesResponse> names(String host, int port, Duration timeout) {
        checkTimeout(timeout);
        return resolveThen(host, port, timeout, "NAMES", this::names);
    }

    private <T> CompletableFuture<T> exchange(InetSocketAddress epmd, String operation, EpmdRequest request,
            int cap, String capName, Function<ByteBuf, T> decoder, long nanos, Duration timeout) {
        EventLoop loop;
        try {
            loop = group.next();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        String deadline = timeout.toMillis() + " ms deadline, which covers connect and reply";
        try {
            return new EpmdExchange<>(operation, epmd, request, cap, capName, decoder, nanos, deadline).start(loop, transport);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private interface Query<T> {
        CompletableFuture<T> run(InetSocketAddress resolved, Duration remaining);
    }

    private <T> CompletableFuture<T> resolveThen(String host, int port, Duration timeout, String operation, Query<T> query) {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("EPMD port must be in 0..65535, was " + port);
        }
        String context = "EPMD " + operation + " at " + host + ":" + port;
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        CompletableFuture<InetSocketAddress> resolved = new CompletableFuture<>();
        ScheduledFuture<?> timer;
        try {
            timer = group.next().schedule(() -> resolved.completeExceptionally(new TimeoutException(context
                    + ": resolving '" + host + "' did not finish within the " + timeout.toMillis()
                    + " ms deadline, which covers resolution, connect and reply")), timeout.toNanos(), TimeUnit.NANOSECONDS);
            resolveExecutor.execute(() -> resolve(host, port, context, resolved));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
        resolved.whenComplete((address, error) -> timer.cancel(false));
        return resolved.thenCompose(address -> {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return CompletableFuture.failedFuture(new TimeoutException(context + ": the " + timeout.toMillis()
                        + " ms deadline passed during name resolution"));
            }
            return query.run(address, Duration.ofNanos(remaining));
        });
    }

    private static void resolve(String host, int port, String context, CompletableFuture<InetSocketAddress> resolved) {
        try {
            resolved.complete(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (UnknownHostException e) {
            UnknownHostException named = new UnknownHostException(context + ": host '" + host + "' does not resolve");
            named.initCause(e);
            resolved.completeExceptionally(named);
        } catch (RuntimeException e) {
            resolved.completeExceptionally(e);
        }
    }

    private static long checkTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("EPMD query timeout must be positive, was " + timeout);
        }
        return timeout.toNanos();
    }

    /** Created on first use; daemon threads that end when idle, so nothing needs shutting down. */
    private static final class SharedResolver {
        static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(new DefaultThreadFactory("epmd-resolve", true));
    }
}
