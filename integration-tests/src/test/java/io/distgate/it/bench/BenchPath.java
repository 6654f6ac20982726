package io.distgate.it.bench;

import io.distgate.gateway.local.ErlangNode;
import io.distgate.gateway.local.GatewayProcess;
import java.util.List;

/**
 * One way of linking node A to node B, set up and ready: both nodes are running and connected,
 * and whatever is in between (a TLS stack, a tunnel pair, two gateways) is up. Every workload
 * runs on A towards B. A subclass starts the nodes in its constructor and assigns them here.
 */
abstract class BenchPath implements AutoCloseable {

    private final String id;
    private final String label;
    /** Node A, node B, and A's second node A2, started {@code -hidden} on every path (see {@link #a2()}). */
    protected ErlangNode a;
    protected ErlangNode b;
    protected ErlangNode a2;

    /**
     * @param id    the path's key in the JSON lines, e.g. {@code distgate_tls_openssl}
     * @param label the column heading in the Markdown table
     */
    BenchPath(String id, String label) {
        this.id = id;
        this.label = label;
    }

    String id() {
        return id;
    }

    String label() {
        return label;
    }

    ErlangNode a() {
        return a;
    }

    ErlangNode b() {
        return b;
    }

    /**
     * A second node on A's side with a connection of its own to B: the head-of-line probe from
     * another node pair calls from here.
     */
    ErlangNode a2() {
        return a2;
    }

    /** B's node name as an Erlang atom literal, e.g. {@code 'b1@localhost'}. */
    String bAtom() {
        return "'" + b.name() + "'";
    }

    String aAtom() {
        return "'" + a.name() + "'";
    }

    /** Connects A and A2 to B with a ping; fails with the nodes' logs if one cannot reach B. */
    void connect() {
        for (ErlangNode from : List.of(a, a2)) {
            String result = from.eval("net_adm:ping(" + bAtom() + ")");
            if (!result.equals("pong")) {
                throw new IllegalStateException(id + ": " + from.name() + " cannot reach " + b.name() + " (" + result + ")\n  "
                        + from.name() + ":\n" + String.join("\n", from.logLines()) + "\n  " + b.name() + ":\n"
                        + String.join("\n", b.logLines()));
            }
        }
    }

    /** Every process that works to carry A's traffic to B: their CPU time is the path's cost (descendants included). */
    abstract List<Long> processes();

    /** The distgate gateways of the path, if any. */
    List<GatewayProcess> gateways() {
        return List.of();
    }

    @Override
    public abstract void close();
}
