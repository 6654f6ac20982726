package io.distgate.it.bench;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.ErlangNode;
import io.distgate.gateway.local.ErlangSite;
import io.distgate.gateway.local.FreePorts;
import io.distgate.it.harness.FakeNameService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain distribution carried by a generic tunnel pair, as people secure it without distgate:
 * node B listens on a fixed distribution port, the tunnel's server end forwards to it, and its
 * client end listens on a local port that node A dials for B. A finds that port through
 * distgate_epmd asking a {@link FakeNameService} that answers B's name with the tunnel's port
 * (any other name: plain EPMD).
 */
final class ForwardedPath extends BenchPath {

    /** The tunnel pair, up and forwarding to B's port. */
    interface Tunnel extends AutoCloseable {
        /** Where the client end listens: A dials this for B. */
        int listenPort();

        /** The tunnel's processes (CPU is summed over them and their descendants). */
        List<Long> processes();

        /** The negotiated cipher or another detail worth printing with the results. */
        String describe();

        @Override
        void close();
    }

    interface TunnelFactory {
        Tunnel start(int distPortOfB);
    }

    private static final int PORT_ATTEMPTS = 5;

    private final ErlangSite site;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final Tunnel tunnel;

    ForwardedPath(String id, String label, BenchFiles files, TunnelFactory factory) {
        super(id, label);
        this.site = ErlangSite.start(id, NameMode.SHORT, BenchFiles.COOKIE);
        try {
            int[] distPort = new int[1];
            this.b = startB(files, distPort);
            this.tunnel = factory.start(distPort[0]);
            owned.add(tunnel);
            FakeNameService names = FakeNameService.start(fullName -> fullName.equals(b.name())
                    ? FakeNameService.routed(tunnel.listenPort(), "b1") : FakeNameService.notRouted());
            owned.add(names);
            this.a = site.startNode(files.node(site, "a1").gateway(names.address()));
            this.a2 = site.startNode(files.secondA(site).gateway(names.address()));
            connect();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** B with {@code inet_dist_listen_min = max = P}; a port taken between probe and bind is retried. */
    private ErlangNode startB(BenchFiles files, int[] portOut) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int port = FreePorts.probe();
            try {
                ErlangNode node = site.startNode(files.node(site, "b1").extraArgs(
                        "-kernel", "inet_dist_listen_min", Integer.toString(port), "inet_dist_listen_max", Integer.toString(port)));
                portOut[0] = port;
                return node;
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    Tunnel tunnel() {
        return tunnel;
    }

    @Override
    List<Long> processes() {
        List<Long> pids = new ArrayList<>(List.of(a.pid(), b.pid()));
        pids.addAll(tunnel.processes());
        return pids;
    }

    @Override
    public void close() {
        site.close();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                // Stopping the rest matters more than this one's failure to stop cleanly.
            }
        }
    }
}
