package io.distgate.it.bench;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.ErlangNode;
import io.distgate.gateway.local.ErlangSite;
import io.distgate.gateway.local.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Node A and node B of one cluster connected by OTP's own distribution: plain {@code inet_tcp_dist}
 * (the 100 % of every table), or {@code inet_tls_dist} with TLS 1.3, mutual certificate checks
 * and the same EC P-256 keys and suite as the other TLS paths.
 */
final class ErlangPath extends BenchPath {

    private final ErlangSite site;

    private ErlangPath(String id, String label, BenchFiles files, boolean tls) {
        super(id, label);
        this.site = ErlangSite.start(id, NameMode.SHORT, BenchFiles.COOKIE);
        try {
            this.b = site.startNode(files.node(site, "b1").extraArgs(tls ? tlsArgs(files, "b") : new String[0]));
            this.a = site.startNode(files.node(site, "a1").extraArgs(tls ? tlsArgs(files, "a") : new String[0]));
            this.a2 = site.startNode(files.secondA(site).extraArgs(tls ? tlsArgs(files, "a") : new String[0]));
            connect();
        } catch (RuntimeException e) {
            site.close();
            throw e;
        }
    }

    static ErlangPath direct(BenchFiles files) {
        return new ErlangPath("direct", "direct TCP", files, false);
    }

    static ErlangPath otpTls(BenchFiles files) {
        return new ErlangPath("otp_tls", "OTP TLS dist", files, true);
    }

    /**
     * {@code -proto_dist inet_tls} with an option file (ssl_dist_opt): verify_peer both ways,
     * fail_if_no_peer_cert, TLS 1.3 only. net_kernel reads -proto_dist when the agent starts it.
     */
    private static String[] tlsArgs(BenchFiles files, String side) {
        String common = "{certfile, \"" + files.cert(side) + "\"}, {keyfile, \"" + files.key(side) + "\"}, "
                + "{cacertfile, \"" + files.caFile() + "\"}, {verify, verify_peer}, {versions, ['tlsv1.3']}, "
                + "{ciphers, [\"" + BenchFiles.TLS13_SUITE + "\"]}";
        String options = "[{server, [" + common + ", {fail_if_no_peer_cert, true}]},\n {client, [" + common + "]}].\n";
        Path file = Processes.tempDir("distgate-bench-ssl-dist").resolve(side + "-ssl-dist.conf");
        try {
            Files.writeString(file, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new String[] {"-proto_dist", "inet_tls", "-ssl_dist_optfile", file.toString()};
    }

    @Override
    List<Long> processes() {
        return List.of(a.pid(), b.pid());
    }

    @Override
    public void close() {
        site.close();
    }
}
