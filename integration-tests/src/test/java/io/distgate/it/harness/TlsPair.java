package io.distgate.it.harness;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.FreePorts;
import io.distgate.tls.DevCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * One gateway process per site, linked by mutual TLS + HTTP/2 (issue #3). Gateway A dials
 * gateway B through a {@link WanRelay}, so tests can add delay, cut, heal and stall the WAN.
 */
public final class TlsPair extends GatewayPair {

    private final int tunnelB = FreePorts.probe();
    private final WanRelay relay;

    private TlsPair(NameMode mode, String tunnelExtra) {
        super("tls", mode);
        DevCa ca = DevCa.create();
        ca.writeTo(dir);
        ca.issueSite("a").writeTo(dir);
        ca.issueSite("b").writeTo(dir);
        try {
            relay = WanRelay.start("127.0.0.1", tunnelB);
        } catch (IOException e) {
            siteA.close();
            siteB.close();
            throw new UncheckedIOException(e);
        }
        LocalBridge.write(configA, sitesYaml("a")
                + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"" + relay.address() + "\"}\n"
                + tunnel(null, "a", tunnelExtra)
                + "metrics: {listen: \"127.0.0.1:0\"}\n");
        LocalBridge.write(configB, sitesYaml("b")
                + "peers:\n  - {site: a, nodes: [\"a*\"]}\n"
                + tunnel("127.0.0.1:" + tunnelB, "b", tunnelExtra)
                + "metrics: {listen: \"127.0.0.1:0\"}\n");
        startGateways();
    }

    /** Both gateways with default tunnel settings, but a short reconnect cap so tests need not wait long. */
    public static TlsPair start(NameMode mode) {
        return new TlsPair(mode, "");
    }

    /** With extra tunnel keys for both gateways, indented as tunnel keys (e.g. {@code "  dead_after: 3s\n"}). */
    public static TlsPair start(NameMode mode, String tunnelExtra) {
        return new TlsPair(mode, tunnelExtra);
    }

    private String tunnel(String listen, String site, String extra) {
        return "tunnel:\n"
                + (listen != null ? "  listen: \"" + listen + "\"\n" : "")
                + "  reconnect_max: 1s\n"
                + "  tls: {cert: " + dir.resolve(site + ".crt") + ", key: " + dir.resolve(site + ".key")
                + ", ca: " + dir.resolve("ca.crt") + "}\n"
                + extra;
    }

    public WanRelay relay() {
        return relay;
    }

    /** Where the test certificates are (ca.crt, ca.key, a.crt, ...). */
    public Path certificates() {
        return dir;
    }

    /** The address gateway B accepts tunnels on (not through the relay). */
    public String tunnelAddressB() {
        return "127.0.0.1:" + tunnelB;
    }

    @Override
    public String transport() {
        return "tls";
    }

    @Override
    protected void closeLink() {
        relay.close();
    }
}
