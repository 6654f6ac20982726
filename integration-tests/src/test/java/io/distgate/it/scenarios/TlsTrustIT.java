package io.distgate.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.GatewayProcess;
import io.distgate.it.harness.LocalBridge;
import io.distgate.it.harness.Prom;
import io.distgate.it.harness.TlsPair;
import io.distgate.it.harness.TlsProbe;
import io.distgate.tls.DevCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Identity and trust between gateways (issue #3): every kind of bad peer is refused during the
 * TLS handshake, logged with its reason and counted, and learns nothing (not one HTTP/2 byte);
 * bad TLS files stop the gateway at start with a message naming the file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsTrustIT {

    private TlsPair sites;
    private TlsProbe probe;
    private Path certs;
    private String host;
    private int port;

    @BeforeAll
    void start() {
        sites = TlsPair.start(NameMode.SHORT);
        probe = new TlsProbe();
        certs = sites.certificates();
        String b = sites.tunnelAddressB();
        host = b.substring(0, b.indexOf(':'));
        port = Integer.parseInt(b.substring(b.indexOf(':') + 1));
    }

    @AfterAll
    void stop() {
        probe.close();
        sites.close();
    }

    private void assertRefusedWith(String reason, TlsProbe.Outcome outcome) {
        GatewayProcess b = sites.gatewayOf("b");
        assertThat(outcome.applicationBytes()).as("bytes the refused peer received after the handshake").isZero();
        assertThat(b.awaitLog("tunnel refused transport=tls reason=" + reason, Duration.ofSeconds(10)))
                .as("gateway b logs reason %s", reason).isTrue();
        assertThat(Prom.sum(b.scrape(), "distgate_tunnel_auth_failures_total", Map.of("transport", "tls", "reason", reason)))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void theRightCertificateIsAcceptedAndGetsHttp2Settings() throws Exception {
        TlsProbe.Outcome ok = probe.connect(host, port, certs.resolve("a.crt"), certs.resolve("a.key"));
        assertThat(ok.handshakeOk()).isTrue();
        assertThat(ok.applicationBytes()).as("HTTP/2 SETTINGS from gateway b").isPositive();
    }

    @Test
    void certificateFromAnotherCaIsRefused() throws Exception {
        Path other = Files.createTempDirectory("other-ca");
        DevCa.create().issueSite("a").writeTo(other);
        assertRefusedWith("unknown_ca", probe.connect(host, port, other.resolve("a.crt"), other.resolve("a.key")));
    }

    @Test
    void peerWithoutAClientCertificateIsRefused() throws Exception {
        assertRefusedWith("no_certificate", probe.connect(host, port, null, null));
    }

    @Test
    void expiredCertificateIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("expired");
        DevCa ca = DevCa.load(certs);
        Instant now = Instant.now();
        ca.issueSite("a", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), List.of(), List.of()).writeTo(dir);
        assertRefusedWith("expired_certificate", probe.connect(host, port, dir.resolve("a.crt"), dir.resolve("a.key")));
    }

    @Test
    void validCertificateOfAnotherSiteIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("site-c");
        DevCa.load(certs).issueSite("c").writeTo(dir);
        assertRefusedWith("wrong_site", probe.connect(host, port, dir.resolve("c.crt"), dir.resolve("c.key")));
    }

    @Test
    void dialledGatewayPresentingAnotherSiteIsRefusedByTheDialler() throws Exception {
        Path dir = Files.createTempDirectory("impostor");
        DevCa.load(certs).issueSite("c").writeTo(dir);
        int impostor = probe.serve(dir.resolve("c.crt"), dir.resolve("c.key"));
        Path config = dir.resolve("a.yaml");
        Files.writeString(config, "sites:\n"
                + LocalBridge.site("a", "cookie-a", NameMode.SHORT, "a*", 4369, 0, "")
                + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"127.0.0.1:" + impostor + "\"}\n"
                + "tunnel:\n  tls: {cert: " + certs.resolve("a.crt") + ", key: " + certs.resolve("a.key")
                + ", ca: " + certs.resolve("ca.crt") + "}\n"
                + "metrics: {listen: \"127.0.0.1:0\"}\n");
        try (GatewayProcess a = GatewayProcess.start("impostor-test", io.distgate.it.harness.TwoSites.jar(), config,
                Duration.ofSeconds(30))) {
            assertThat(a.awaitLog("tunnel refused transport=tls reason=wrong_site", Duration.ofSeconds(10))).isTrue();
            assertThat(a.logContains("tunnel up")).isFalse();
        }
    }

    @Test
    void badTlsFilesStopTheGatewayAtStartNamingTheFile() throws Exception {
        Path dir = Files.createTempDirectory("bad-files");
        Path openKey = dir.resolve("open.key");
        Files.copy(certs.resolve("a.key"), openKey);
        Files.setPosixFilePermissions(openKey, PosixFilePermissions.fromString("rw-r--r--"));
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {dir.resolve("missing.crt").toString(), certs.resolve("a.key").toString(), "missing.crt"});
        cases.add(new String[] {certs.resolve("a.crt").toString(), certs.resolve("b.key").toString(), "b.key"});
        cases.add(new String[] {certs.resolve("a.crt").toString(), openKey.toString(), "open.key"});
        for (String[] c : cases) {
            Path config = dir.resolve("config-" + c[2] + ".yaml");
            Files.writeString(config, "sites:\n"
                    + LocalBridge.site("a", "cookie-a", NameMode.SHORT, "a*", 4369, 0, "")
                    + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"127.0.0.1:9\"}\n"
                    + "tunnel:\n  tls: {cert: " + c[0] + ", key: " + c[1] + ", ca: " + certs.resolve("ca.crt") + "}\n"
                    + "metrics: {listen: none}\n");
            Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                    io.distgate.it.harness.TwoSites.jar().toString(), "run", "--config", config.toString())
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("gateway exits").isTrue();
            String output = new String(p.getInputStream().readAllBytes());
            assertThat(p.exitValue()).as(output).isNotZero();
            assertThat(output).as("names the file").contains(c[2]);
        }
    }
}
