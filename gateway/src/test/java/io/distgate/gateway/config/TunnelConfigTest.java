package io.distgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The peers and tunnel sections of a per-site gateway's configuration. */
class TunnelConfigTest {

    private static final String SITE = "sites:\n  - {name: a, cookie: c, nodes: [\"a*\"], name_service: {listen: \"127.0.0.1:4370\"}}\n";
    private static final String TLS = "  tls: {cert: /etc/a.crt, key: /etc/a.key, ca: /etc/ca.crt}\n";

    private static GatewayConfig parse(String yaml) {
        return ConfigLoader.parse(yaml);
    }

    private static void refused(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void parsesAPeerAndTheTunnelWithDefaults() {
        GatewayConfig c = parse(SITE + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"gw-b:7443\"}\ntunnel:\n" + TLS);
        assertThat(c.peers()).singleElement().satisfies(p -> {
            assertThat(p.site()).isEqualTo("b");
            assertThat(p.dial()).isEqualTo(new HostPort("gw-b", 7443));
        });
        TunnelConfig t = c.tunnel();
        assertThat(t.transport()).isEqualTo("tls");
        assertThat(t.listen()).isNull();
        assertThat(t.pingInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.deadAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.reconnectMin()).isEqualTo(Duration.ofMillis(200));
        assertThat(t.reconnectMax()).isEqualTo(Duration.ofSeconds(10));
        assertThat(t.streamWindow().bytes()).isEqualTo(4L << 20);
        assertThat(t.connectionWindow().bytes()).isEqualTo(16L << 20);
        assertThat(t.drainTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.tls().provider()).isEqualTo("openssl");
        assertThat(t.tls().allowTls12()).isFalse();
    }

    @Test
    void readsSizesWithUnits() {
        GatewayConfig c = parse(SITE + "peers:\n  - {site: b, nodes: [\"b*\"]}\ntunnel:\n  listen: \"0.0.0.0:7443\"\n"
                + "  stream_window: 1MiB\n  connection_window: 65536KiB\n" + TLS);
        assertThat(c.tunnel().streamWindow().bytes()).isEqualTo(1L << 20);
        assertThat(c.tunnel().connectionWindow().bytes()).isEqualTo(64L << 20);
    }

    @Test
    void peersNeedATunnel() {
        refused(SITE + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"gw-b:7443\"}\n",
                "tunnel: missing: peers are reached through a tunnel (transport, tls files, listen or dial)");
    }

    @Test
    void withPeersOnlyOneLocalSite() {
        refused("sites:\n  - {name: a, cookie: c, nodes: [\"a*\"], name_service: {listen: \"127.0.0.1:4370\"}}\n"
                + "  - {name: c, cookie: c, nodes: [\"c*\"], name_service: {listen: \"127.0.0.1:4371\"}}\n"
                + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"gw-b:7443\"}\ntunnel:\n" + TLS,
                "sites: with peers, list exactly one site: the site this gateway serves (its certificate names it); got 2");
    }

    @Test
    void somethingMustConnect() {
        refused(SITE + "peers:\n  - {site: b, nodes: [\"b*\"]}\ntunnel:\n" + TLS,
                "tunnel.listen: missing: no peer has a dial address, so this gateway must listen");
    }

    @Test
    void aPeerCannotHaveTheNameOfALocalSite() {
        refused(SITE + "peers:\n  - {site: a, nodes: [\"x*\"], dial: \"gw:1\"}\ntunnel:\n" + TLS,
                "peers[0].site: 'a' is already the name of sites[0]");
    }

    @Test
    void deadAfterMustCoverTwoPings() {
        refused(SITE + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"gw:1\"}\ntunnel:\n  ping_interval: 2s\n  dead_after: 3s\n" + TLS,
                "tunnel.dead_after: must be at least twice ping_interval (2s), got 3s");
    }

    @Test
    void windowsStayWithinHttp2Limits() {
        refused(SITE + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"gw:1\"}\ntunnel:\n  stream_window: 1KiB\n" + TLS,
                "tunnel.stream_window: must be 64KiB..2GiB-1 (HTTP/2 limits), got 1KiB");
        refused(SITE + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"gw:1\"}\ntunnel:\n  stream_window: 8MiB\n"
                + "  connection_window: 4MiB\n" + TLS, "tunnel.connection_window: must be at least stream_window (8MiB)");
        refused(SITE + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"gw:1\"}\ntunnel:\n  stream_window: lots\n" + TLS,
                "tunnel.stream_window: 'lots' is not a size (write e.g. 65536, 64KiB, 4MiB, 1GiB)");
    }

    @Test
    void tlsFilesAreRequiredAndTheProviderIsChecked() {
        refused(SITE + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"gw:1\"}\ntunnel:\n  listen: \"0.0.0.0:1\"\n",
                "tunnel.tls: missing: cert, key and ca files for transport tls");
        refused(SITE + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"gw:1\"}\ntunnel:\n  tls: {cert: a, key: b}\n",
                "tunnel.tls.ca: missing: the PEM CA bundle that signs the peers' certificates");
        refused(SITE + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"gw:1\"}\ntunnel:\n  tls: {cert: a, key: b, ca: c, provider: gnutls}\n",
                "tunnel.tls.provider: expected openssl or jdk, got 'gnutls'");
    }

    @Test
    void peerNeedsNodesAndAPortToDial() {
        refused(SITE + "peers:\n  - {site: b}\ntunnel:\n" + TLS, "peers[0].nodes: missing: list the node-name patterns of site b");
        refused(SITE + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"gw:0\"}\ntunnel:\n" + TLS,
                "peers[0].dial: port 0 cannot be dialled");
    }

    @Test
    void tunnelListenCannotClashWithTheNameService() {
        refused(SITE + "peers:\n  - {site: b, nodes: [\"b*\"]}\ntunnel:\n  listen: \"0.0.0.0:4370\"\n" + TLS,
                "tunnel.listen: 0.0.0.0:4370 is already used by site a (name_service.listen)");
    }
}
