package io.distgate.it.bench;

import io.distgate.gateway.local.ErlangSite;
import io.distgate.gateway.local.ErlangTools;
import io.distgate.gateway.local.NodeOptions;
import io.distgate.gateway.local.Processes;
import io.distgate.tls.DevCa;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What every path of one run shares: the workload module, compiled once, and one development CA
 * with an EC P-256 certificate per side (a, b), which the TLS distribution, stunnel and the
 * distgate gateways all use, so every TLS path runs the same key type.
 */
final class BenchFiles {

    /** The cookie of the paths that join both nodes in one cluster (direct, TLS distribution, tunnels). */
    static final String COOKIE = "distgate-bench-cookie";
    /** The one TLS 1.3 suite every TLS path negotiates: BoringSSL's first choice, and distgate's. */
    static final String TLS13_SUITE = "TLS_AES_128_GCM_SHA256";

    private final Path ebin;
    private final Path pki;

    private BenchFiles(Path ebin, Path pki) {
        this.ebin = ebin;
        this.pki = pki;
    }

    static BenchFiles create() {
        Path ebin = Processes.tempDir("distgate-bench-ebin");
        ErlangTools.compileResources(ebin, List.of("erlang/dg_bench.erl"), "+warnings_as_errors");
        Path pki = Processes.tempDir("distgate-bench-pki");
        DevCa ca = DevCa.create();
        ca.writeTo(pki);
        // localhost and 127.0.0.1 in the SAN: OTP's TLS distribution checks the peer's host name.
        List<InetAddress> loopback = List.of(InetAddress.getLoopbackAddress());
        ca.issueSite("a", Duration.ofDays(2), List.of("localhost"), loopback).writeTo(pki);
        ca.issueSite("b", Duration.ofDays(2), List.of("localhost"), loopback).writeTo(pki);
        return new BenchFiles(ebin, pki);
    }

    /**
     * Options for a benchmark node: the site's, the workload module, and the VM arguments of
     * {@code bench.node.args} (none by default: the harness's nodes do not busy-wait).
     */
    NodeOptions node(ErlangSite site, String alive) {
        NodeOptions options = site.nodeOptions(alive).codePath(ebin);
        String args = System.getProperty("bench.node.args", "").trim();
        return args.isEmpty() ? options : options.extraArgs(args.split("\\s+"));
    }

    /** Options for A's second node, {@code a2}: hidden, so it changes nothing in A's and B's cluster. */
    NodeOptions secondA(ErlangSite site) {
        return node(site, "a2").extraArgs("-hidden");
    }

    /** The directory holding dg_bench.beam, for {@code -pa}. */
    Path ebin() {
        return ebin;
    }

    Path caFile() {
        return pki.resolve(DevCa.CA_CERTIFICATE_FILE);
    }

    /** {@code a.crt} or {@code b.crt}: the certificate of one side. */
    Path cert(String side) {
        return pki.resolve(side + ".crt");
    }

    Path key(String side) {
        return pki.resolve(side + ".key");
    }

    Path pkiDir() {
        return pki;
    }
}
