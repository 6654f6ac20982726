package io.distgate.gateway.local;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.Gateway;
import io.distgate.gateway.config.ConfigLoader;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code distgate demo}: two Erlang sites on this machine, each with its own EPMD and cookie,
 * linked by distgate; shows cross-site round trips both ways and what each node sees. Every
 * process it starts is stopped by PID at the end.
 */
public final class Demo implements AutoCloseable {

    /** How the two sites are linked. */
    public enum Transport { LOCAL }

    private static final int SAMPLES = 200;

    private final PrintWriter out;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final String cookieA = randomCookie();
    private final String cookieB = randomCookie();
    private ErlangSite siteA;
    private ErlangSite siteB;
    private Gateway gateway;

    public Demo(PrintWriter out) {
        this.out = out;
    }

    /** Runs the demo; returns null on success or the reason it failed. */
    public String run(Transport transport) {
        int nameServiceA = FreePorts.probe();
        int nameServiceB = FreePorts.probe();
        siteA = track(ErlangSite.startWithGateway("a", NameMode.SHORT, cookieA, "127.0.0.1:" + nameServiceA));
        siteB = track(ErlangSite.startWithGateway("b", NameMode.SHORT, cookieB, "127.0.0.1:" + nameServiceB));
        gateway = track(Gateway.start(ConfigLoader.parse(localConfig(nameServiceA, nameServiceB))));
        out.printf("distgate demo, transport %s%n", transport.name().toLowerCase());
        out.printf("  site a: epmd 127.0.0.1:%d, its own cookie, name service 127.0.0.1:%d%n", siteA.epmd().port(), nameServiceA);
        out.printf("  site b: epmd 127.0.0.1:%d, its own cookie, name service 127.0.0.1:%d%n", siteB.epmd().port(), nameServiceB);
        out.printf("  metrics: http://127.0.0.1:%d/metrics%n", gateway.metricsPort());
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
        out.flush();
        return failure;
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

    private String localConfig(int nameServiceA, int nameServiceB) {
        return "sites:\n"
                + "  - name: a\n    cookie: " + cookieA + "\n    nodes: [\"a*\"]\n    epmd_port: " + siteA.epmd().port() + "\n"
                + "    name_service: {listen: \"127.0.0.1:" + nameServiceA + "\"}\n"
                + "  - name: b\n    cookie: " + cookieB + "\n    nodes: [\"b*\"]\n    epmd_port: " + siteB.epmd().port() + "\n"
                + "    name_service: {listen: \"127.0.0.1:" + nameServiceB + "\"}\n"
                + "metrics: {listen: \"127.0.0.1:0\"}\n";
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

    /** Stops the gateway, every node and both EPMDs, newest first. */
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
