package io.distgate.gateway.local;

import io.distgate.bridge.dist.NameMode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One site of Erlang nodes on this machine: its own {@link EpmdDaemon}, one cookie, one
 * name mode and, optionally, the address of the site's gateway name service.
 *
 * <p>{@link #close()} stops every node the site started and then its epmd, by PID.
 */
public final class ErlangSite implements AutoCloseable {
    private final String label;
    private final NameMode nameMode;
    private final String cookie;
    private final String gateway;
    private final EpmdDaemon epmd;
    private final List<ErlangNode> nodes = new CopyOnWriteArrayList<>();

    private ErlangSite(String label, NameMode nameMode, String cookie, String gateway) {
        this.label = label;
        this.nameMode = nameMode;
        this.cookie = cookie;
        this.gateway = gateway;
        this.epmd = EpmdDaemon.start();
    }

    /** A site whose nodes use plain erl_epmd. */
    public static ErlangSite start(String label, NameMode nameMode, String cookie) {
        return new ErlangSite(label, nameMode, cookie, null);
    }

    /** A site whose nodes load distgate_epmd and ask the gateway at {@code gatewayHostPort}. */
    public static ErlangSite startWithGateway(String label, NameMode nameMode, String cookie, String gatewayHostPort) {
        return new ErlangSite(label, nameMode, cookie, gatewayHostPort);
    }

    /** Options for a node of this site, to adjust before {@link #startNode(NodeOptions)}. */
    public NodeOptions nodeOptions(String alive) {
        NodeOptions options = new NodeOptions(alive, nameMode, cookie, epmd.port());
        return gateway == null ? options : options.gateway(gateway);
    }

    public ErlangNode startNode(String alive) {
        return startNode(nodeOptions(alive));
    }

    public ErlangNode startNode(NodeOptions options) {
        ErlangNode node = ErlangNode.start(options);
        nodes.add(node);
        return node;
    }

    /** The full node name an alive name gets in this site, e.g. {@code b1@localhost}. */
    public String nodeName(String alive) {
        return NodeOptions.fullName(alive, nameMode);
    }

    public String label() {
        return label;
    }

    public NameMode nameMode() {
        return nameMode;
    }

    public String cookie() {
        return cookie;
    }

    public Optional<String> gateway() {
        return Optional.ofNullable(gateway);
    }

    public EpmdDaemon epmd() {
        return epmd;
    }

    public List<ErlangNode> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public void close() {
        // Ask every node first, then wait for each, so shutdowns overlap.
        nodes.forEach(ErlangNode::requestStop);
        nodes.forEach(ErlangNode::stop);
        epmd.close();
    }

    @Override
    public String toString() {
        return "site " + label + " (" + nameMode + ", epmd port " + epmd.port() + ")";
    }
}
