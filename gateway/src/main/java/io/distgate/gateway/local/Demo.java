package io.distgate.gateway.local;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.Gateway;
import io.distgate.gateway.config.ConfigLoader;
import io.distgate.gateway.ssh.SshKeyType;
import io.distgate.gateway.ssh.SshKeys;
import io.distgate.tls.DevCa;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code distgate demo}: two Erlang sites on this machine, each with its own EPMD and cookie,
 * linked by distgate; shows cross-site round trips both ways and what each node sees. With
 * transport {@code tls} each site gets its own gateway process and the two talk mutual TLS with
 * certificates made for the run; with {@code local} one gateway serves both. Every process it
 * starts is stopped by PID at the end.
 */
public final class Demo implements AutoCloseable {

    /** How the two sites are linked. */
    public enum Transport { LOCAL, TLS, SSH }

    private static final int SAMPLES = 200;
    private static final Pattern TUNNEL_UP = Pattern.compile("tunnel up peer_site=b role=dialled remote=\\S+ security=(.*)$");

    private final PrintWriter out;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final String cookieA = randomCookie();
    private final String cookieB = randomCookie();
    private final int nameServiceA = FreePorts.probe();
    private final int nameServiceB = FreePorts.probe();
    private ErlangSite siteA;
    private ErlangSite siteB;

    public Demo(PrintWriter out) {
        this.out = out;
    }

    /** Runs the demo; returns null on success or the reason it failed. */
    public String run(Transport transport) {
        siteA = track(ErlangSite.startWithGateway("a", NameMode.SHORT, cookieA, "127.0.0.1:" + nameServiceA));
        siteB = track(ErlangSite.startWithGateway("b", NameMode.SHORT, cookieB, "127.0.0.1:" + nameServiceB));
        out.printf("distgate demo, transport %s%n", transport.name().toLowerCase());
        out.printf("  site a: epmd 127.0.0.1:%d, its own cookie, name service 127.0.0.1:%d%n", siteA.epmd().port(), nameServiceA);
        out.printf("  site b: epmd 127.0.0.1:%d, its own cookie, name service 127.0.0.1:%d%n", siteB.epmd().port(), nameServiceB);
        GatewayProcess tunnelSide = switch (transport) {
            case TLS -> startTlsGateways();
            case SSH -> startSshGateways();
            case LOCAL -> startLocalGateway();
        };
        out.flush();

        ErlangNode a1 = siteA.startNode("a1");
        ErlangNode a2 = siteA.startNode("a2");
        ErlangNode b1 = siteB.startNode("b1");
        ErlangNode b2 = siteB.startNode("b2");
        out.printf("  nodes: %s %s (site a), %s %s (site b)%n", a1.name(), a2.name(), b1.name(), b2.name());
        for (ErlangNode n : List.of(a1, b1)) {
            n.eval("register(echo, spawn(fun Loop() -> receive {From, M} -> From ! {echo, M}, Loop() end end))");
        }
        // Each site's own mesh: a1 with a2, b1 with b2, over plain distribution.
        expect("pong", a1.eval("net_adm:ping('" + a2.name() + "')"), "a1 -> a2 ping");
        expect("pong", b1.eval("net_adm:ping('" + b2.name() + "')"), "b1 -> b2 ping");

        String failure = crossSite(a1, b1);
        if (failure == null) {
            failure = crossSite(b1, a1);
        }
        if (failure == null) {
            failure = separateMeshes(a1, b1);
        }
        if (failure == null && tunnelSide != null) {
            tunnelRoundTrip(tunnelSide);
            out.printf("%ndistgate status --url http://127.0.0.1:%d%n", tunnelSide.metricsPort().orElse(-1));
            new picocli.CommandLine(new io.distgate.gateway.cli.Main()).setOut(out)
                    .execute("status", "--url", "http://127.0.0.1:" + tunnelSide.metricsPort().orElse(-1));
        }
        out.flush();
        return failure;
    }

    private GatewayProcess startLocalGateway() {
        Gateway gateway = track(Gateway.start(ConfigLoader.parse("sites:\n"
                + site("a", cookieA, siteA, nameServiceA) + site("b", cookieB, siteB, nameServiceB)
                + "metrics: {listen: \"127.0.0.1:0\"}\n")));
        out.printf("  gateway (both sites): metrics http://127.0.0.1:%d/metrics%n", gateway.metricsPort());
        return null;
    }

    /** Two gateway processes, a development CA and a certificate per site; a dials b. */
    private GatewayProcess startTlsGateways() {
        Path dir = Processes.tempDir("distgate-demo");
        DevCa ca = DevCa.create();
        ca.writeTo(dir);
        ca.issueSite("a").writeTo(dir);
        ca.issueSite("b").writeTo(dir);
        int tunnel = FreePorts.probe();
        Path configA = write(dir.resolve("a.yaml"), "sites:\n" + site("a", cookieA, siteA, nameServiceA)
                + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"127.0.0.1:" + tunnel + "\"}\n"
                + tls(dir, "a", null) + "metrics: {listen: \"127.0.0.1:0\"}\n");
        Path configB = write(dir.resolve("b.yaml"), "sites:\n" + site("b", cookieB, siteB, nameServiceB)
                + "peers:\n  - {site: a, nodes: [\"a*\"]}\n"
                + tls(dir, "b", "127.0.0.1:" + tunnel) + "metrics: {listen: \"127.0.0.1:0\"}\n");
        GatewayProcess b = track(GatewayProcess.start("b", ownJar(), configB, Duration.ofSeconds(30)));
        GatewayProcess a = track(GatewayProcess.start("a", ownJar(), configA, Duration.ofSeconds(30)));
        if (!a.awaitLog("tunnel up peer_site=b", Duration.ofSeconds(30))) {
            throw new IllegalStateException("the tunnel from gateway a to gateway b did not come up:\n" + a.logTail(20));
        }
        String security = a.logLines().stream().map(TUNNEL_UP::matcher).filter(Matcher::find).map(m -> m.group(1))
                .findFirst().orElse("?");
        out.printf("  certificates (development CA, %s): %s%n", DevCa.NOTICE, dir);
        out.printf("  gateway a (pid %d): dials b; metrics http://127.0.0.1:%d/metrics%n", a.pid(), a.metricsPort().orElse(-1));
        out.printf("  gateway b (pid %d): listens on 127.0.0.1:%d; metrics http://127.0.0.1:%d/metrics%n", b.pid(),
                tunnel, b.metricsPort().orElse(-1));
        out.printf("  tunnel a -> b up: %s, HTTP/2, mutual authentication%n", security);
        return a;
    }

    /** Two gateway processes over SSH: b embeds the SSH server, a dials it with its key; keys made for the run. */
    private GatewayProcess startSshGateways() {
        Path dir = Processes.tempDir("distgate-demo-ssh");
        int ssh = FreePorts.probe();
        int streamPort = FreePorts.probe();
        int reversePort = FreePorts.probe();
        KeyPair client = SshKeys.generate(SshKeyType.ED25519);
        KeyPair host = SshKeys.generate(SshKeyType.ED25519);
        SshKeys.write(client, dir.resolve("a_ed25519"), "site-a");
        SshKeys.write(host, dir.resolve("ssh_host_ed25519_key"), "gateway-b");
        write(dir.resolve("authorized_keys"), SshKeys.authorizedKeysLine(client.getPublic(), "a") + "\n");
        write(dir.resolve("known_hosts"), SshKeys.knownHostsLine("127.0.0.1", ssh, host.getPublic()) + "\n");
        String ports = "ssh: {stream_port: " + streamPort + ", reverse_port: " + reversePort + "}";
        Path configA = write(dir.resolve("a.yaml"), "sites:\n" + site("a", cookieA, siteA, nameServiceA)
                + "peers:\n  - {site: b, nodes: [\"b*\"], dial: \"127.0.0.1:" + ssh + "\", " + ports + "}\n"
                + "tunnel:\n  transport: ssh\n  ssh: {identity: " + dir.resolve("a_ed25519") + ", known_hosts: "
                + dir.resolve("known_hosts") + "}\nmetrics: {listen: \"127.0.0.1:0\"}\n");
        Path configB = write(dir.resolve("b.yaml"), "sites:\n" + site("b", cookieB, siteB, nameServiceB)
                + "peers:\n  - {site: a, nodes: [\"a*\"], " + ports + "}\n"
                + "tunnel:\n  transport: ssh\n  listen: \"127.0.0.1:" + ssh + "\"\n  ssh: {host_key: "
                + dir.resolve("ssh_host_ed25519_key") + ", authorized_keys: " + dir.resolve("authorized_keys") + "}\n"
                + "metrics: {listen: \"127.0.0.1:0\"}\n");
        GatewayProcess b = track(GatewayProcess.start("b", ownJar(), configB, Duration.ofSeconds(30)));
        GatewayProcess a = track(GatewayProcess.start("a", ownJar(), configA, Duration.ofSeconds(30)));
        if (!a.awaitLog("tunnel up peer_site=b", Duration.ofSeconds(30))) {
            throw new IllegalStateException("the SSH tunnel from gateway a to gateway b did not come up:\n" + a.logTail(20));
        }
        String security = a.logLines().stream().map(TUNNEL_UP::matcher).filter(Matcher::find).map(m -> m.group(1))
                .findFirst().orElse("?");
        out.printf("  keys (made for this run): %s%n", dir);
        out.printf("  gateway a (pid %d): dials b over SSH; metrics http://127.0.0.1:%d/metrics%n", a.pid(), a.metricsPort().orElse(-1));
        out.printf("  gateway b (pid %d): embedded SSH server on 127.0.0.1:%d; metrics http://127.0.0.1:%d/metrics%n",
                b.pid(), ssh, b.metricsPort().orElse(-1));
        out.printf("  tunnel a -> b up: %s, host key checked against known_hosts, client key mapped to site a%n", security);
        return a;
    }

    private void tunnelRoundTrip(GatewayProcess gateway) {
        String scrape = gateway.scrape();
        double count = sample(scrape, "distgate_tunnel_rtt_seconds_count");
        double sum = sample(scrape, "distgate_tunnel_rtt_seconds_sum");
        if (count > 0) {
            out.printf("tunnel round trip (liveness probes): mean %.0f us over %.0f probes%n", sum / count * 1e6, count);
        }
    }

    private static double sample(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private String crossSite(ErlangNode from, ErlangNode to) {
        String ping = from.eval("net_adm:ping('" + to.name() + "')");
        if (!ping.equals("pong")) {
            return from.name() + " could not reach " + to.name() + " (ping: " + ping + ")";
        }
        String rtts = from.eval("Dest = {echo, '" + to.name() + "'}, "
                + "Ts = [element(1, timer:tc(fun() -> Dest ! {self(), I}, receive {echo, I} -> ok after 5000 -> exit(timeout) end end))"
                + " || I <- lists:seq(1, " + SAMPLES + ")], S = lists:sort(Ts), "
                + "{lists:nth(" + SAMPLES / 2 + ", S), lists:nth(" + (SAMPLES * 99 / 100) + ", S)}");
        String[] p = rtts.substring(1, rtts.length() - 1).split(",");
        out.printf("%s -> %s: ping pong; message round trip p50 %s us, p99 %s us (%d samples)%n",
                from.name(), to.name(), p[0], p[1], SAMPLES);
        return null;
    }

    private String separateMeshes(ErlangNode a1, ErlangNode b1) {
        String visibleA = a1.eval("nodes()");
        String hiddenA = a1.eval("nodes(hidden)");
        String visibleB = b1.eval("nodes()");
        String hiddenB = b1.eval("nodes(hidden)");
        out.printf("%s sees nodes() = %s, nodes(hidden) = %s%n", a1.name(), visibleA, hiddenA);
        out.printf("%s sees nodes() = %s, nodes(hidden) = %s%n", b1.name(), visibleB, hiddenB);
        if (visibleA.contains("b1@") || visibleB.contains("a1@")) {
            return "a cross-site node is visible: the sites should stay separate meshes";
        }
        if (!hiddenA.contains("b1@") || !hiddenB.contains("a1@")) {
            return "a cross-site connection is missing from nodes(hidden)";
        }
        return null;
    }

    private void expect(String expected, String actual, String what) {
        if (!expected.equals(actual)) {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
        }
    }

    private static String site(String name, String cookie, ErlangSite site, int nameService) {
        return "  - name: " + name + "\n    cookie: " + cookie + "\n    nodes: [\"" + name + "*\"]\n"
                + "    epmd_port: " + site.epmd().port() + "\n"
                + "    name_service: {listen: \"127.0.0.1:" + nameService + "\"}\n";
    }

    private static String tls(Path dir, String site, String listen) {
        return "tunnel:\n" + (listen != null ? "  listen: \"" + listen + "\"\n" : "")
                + "  tls: {cert: " + dir.resolve(site + ".crt") + ", key: " + dir.resolve(site + ".key")
                + ", ca: " + dir.resolve("ca.crt") + "}\n";
    }

    private static Path write(Path file, String text) {
        try {
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar this demo runs from: the gateways it starts run the same build. */
    private static Path ownJar() {
        try {
            Path jar = Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("the tls demo starts gateway processes from the distgate jar; run it with"
                        + " ./distgate demo (not from " + jar + ")");
            }
            return jar;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        started.add(resource);
        return resource;
    }

    private static String randomCookie() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return "demo-" + HexFormat.of().formatHex(bytes);
    }

    /** Stops the gateways, every node and both EPMDs, newest first. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                out.println("demo: stopping " + started.get(i) + " failed: " + e.getMessage());
            }
        }
        out.flush();
    }
}
