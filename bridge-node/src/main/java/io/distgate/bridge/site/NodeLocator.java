package io.distgate.bridge.site;

import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.epmd.EpmdClient;
import io.distgate.bridge.epmd.Port2Response;
import io.distgate.bridge.netty.HostResolver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Finds a node of a site the way {@code inet_tcp_dist} does: the host part of its name, then
 * PORT_PLEASE2 for the alive part to that host's EPMD on the site's EPMD port.
 */
public final class NodeLocator {

    private final EpmdClient epmd;
    private final HostResolver resolver;
    private final int epmdPort;
    private final Duration timeout;

    public NodeLocator(EpmdClient epmd, HostResolver resolver, int epmdPort, Duration timeout) {
        this.epmd = epmd;
        this.resolver = resolver;
        this.epmdPort = epmdPort;
        this.timeout = timeout;
    }

    /**
     * The node's distribution address; fails with {@link UnknownNodeException} when its EPMD
     * does not know it, or with the I/O error when the host or EPMD cannot be reached.
     */
    public CompletableFuture<InetSocketAddress> locate(NodeName node) {
        return resolver.resolve(node.host()).thenCompose(address -> {
            InetSocketAddress epmdAddress = new InetSocketAddress(address, epmdPort);
            return epmd.portPlease(epmdAddress, node.alive(), timeout).thenApply(reply -> {
                if (reply instanceof Port2Response.Found found) {
                    return new InetSocketAddress(address, found.node().port());
                }
                throw new CompletionException(new UnknownNodeException(node, node.host() + ":" + epmdPort));
            });
        });
    }
}
