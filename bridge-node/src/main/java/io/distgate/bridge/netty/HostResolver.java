package io.distgate.bridge.netty;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Host name resolution that never blocks an event loop. The JDK resolver blocks (hosts file,
 * DNS), so it runs on a small pool of daemon threads; callers continue on their own loop.
 */
public final class HostResolver {

    private static final ExecutorService SHARED = Executors.newCachedThreadPool(new DefaultThreadFactory("resolve", true));

    private final Executor executor;

    public HostResolver(Executor executor) {
        this.executor = executor;
    }

    /** A resolver on the process-wide pool of resolver threads. */
    public static HostResolver shared() {
        return new HostResolver(SHARED);
    }

    /** Completes with the first address of {@code host}, or with {@link UnknownHostException}. */
    public CompletableFuture<InetAddress> resolve(String host) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new CompletionException(e);
            }
        }, executor);
    }
}
