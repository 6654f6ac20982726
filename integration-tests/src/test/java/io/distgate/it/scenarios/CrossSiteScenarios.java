package io.distgate.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.distgate.gateway.local.ErlangNode;
import io.distgate.gateway.local.ErlangSite;
import io.distgate.gateway.local.NodeOptions;
import io.distgate.it.harness.Prom;
import io.distgate.it.harness.RawSockets;
import io.distgate.it.harness.TwoSites;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every cross-site scenario, against real OTP 25 nodes, for any transport: a subclass says how
 * the two sites are linked. Site A's nodes are a*, site B's b*; the cookies differ.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
public abstract class CrossSiteScenarios {

    private static final Duration QUICK = Duration.ofSeconds(10);

    protected TwoSites sites;
    protected ErlangSite siteA;
    protected ErlangSite siteB;
    protected ErlangNode a1;
    protected ErlangNode b1;

    /** Starts the two sites and their gateway(s). */
    protected abstract TwoSites startSites();

    @BeforeAll
    void startNodes() {
        sites = startSites();
        siteA = sites.siteA();
        siteB = sites.siteB();
        a1 = sites.startNode(siteA, "a1");
        b1 = sites.startNode(siteB, "b1");
        for (ErlangNode n : List.of(a1, b1)) {
            n.eval("dg_it:start_echo(echo)");
            n.eval("dg_it:start_counter(counter)");
        }
    }

    @AfterAll
    void stopAll() {
        if (sites != null) {
            sites.close();
        }
    }

    protected String a(String alive) {
        return "'" + siteA.nodeName(alive) + "'";
    }

    protected String b(String alive) {
        return "'" + siteB.nodeName(alive) + "'";
    }

    /** A node name as the agent prints it: long names (with dots) quoted, short names bare. */
    protected static String printed(ErlangSite site, String alive) {
        String name = site.nodeName(alive);
        return name.contains(".") ? "'" + name + "'" : name;
    }

    @Test
    @Order(1)
    void pingCrossSiteBothWays() {
        assertThat(a1.eval("net_adm:ping(" + b("b1") + ")")).isEqualTo("pong");
        assertThat(b1.eval("net_adm:ping(" + a("a1") + ")")).isEqualTo("pong");
    }

    @Test
    @Order(2)
    void pingOfUnknownRemoteNodeIsPangWithinOneSecond() {
        String timed = "T0 = erlang:monotonic_time(millisecond), R = net_adm:ping(%s), "
                + "{R, erlang:monotonic_time(millisecond) - T0}";
        assertPangFast(a1.eval(String.format(timed, b("b9"))));
        assertPangFast(b1.eval(String.format(timed, a("a9"))));
    }

    private static void assertPangFast(String result) {
        assertThat(result).startsWith("{pang,");
        long millis = Long.parseLong(result.substring("{pang,".length(), result.length() - 1));
        assertThat(millis).as("time to pang in ms").isLessThan(1000);
    }

    @Test
    @Order(3)
    void sendByRegisteredNameAndByPidGetsReplies() {
        assertThat(a1.eval("dg_it:ask({echo, " + b("b1") + "}, by_name, 5000)")).isEqualTo("by_name");
        assertThat(b1.eval("dg_it:ask({echo, " + a("a1") + "}, by_name, 5000)")).isEqualTo("by_name");
        assertThat(a1.eval("P = rpc:call(" + b("b1") + ", erlang, whereis, [echo]), dg_it:ask(P, by_pid, 5000)"))
                .isEqualTo("by_pid");
        assertThat(b1.eval("P = rpc:call(" + a("a1") + ", erlang, whereis, [echo]), dg_it:ask(P, by_pid, 5000)"))
                .isEqualTo("by_pid");
    }

    @Test
    @Order(4)
    void genServerCallCrossesSites() {
        assertThat(a1.eval("gen_server:call({counter, " + b("b1") + "}, {add, 2})"))
                .matches("\\{count,\\d+,'?b1@[^,]+'?\\}");
        assertThat(b1.eval("gen_server:call({counter, " + a("a1") + "}, {add, 3})"))
                .matches("\\{count,\\d+,'?a1@[^,]+'?\\}");
        assertThat(a1.eval("catch gen_server:call({counter, " + b("b1") + "}, crash)"))
                .contains("asked_to_crash");
    }

    @Test
    @Order(5)
    void rpcAndErpcCallsReturnAndRaise() {
        assertThat(a1.eval("rpc:call(" + b("b1") + ", erlang, node, [])")).isEqualTo(printed(siteB, "b1"));
        assertThat(b1.eval("erpc:call(" + a("a1") + ", erlang, node, [])")).contains("a1@");
        assertThat(a1.eval("try erpc:call(" + b("b1") + ", erlang, error, [boom]) catch error:{exception, R, _} -> {raised, R} end"))
                .isEqualTo("{raised,boom}");
    }

    @Test
    @Order(6)
    void spawnAndSpawnMonitorRunOnTheOtherSite() {
        assertThat(a1.eval("node(spawn(" + b("b1") + ", timer, sleep, [10]))")).contains("b1@");
        assertThat(b1.eval("node(spawn(" + a("a1") + ", timer, sleep, [10]))")).contains("a1@");
        assertThat(a1.eval("{P, R} = spawn_monitor(" + b("b1") + ", erlang, exit, [spawned_and_done]), "
                + "receive {'DOWN', R, process, P, Why} -> Why after 5000 -> timeout end")).isEqualTo("spawned_and_done");
    }

    @Test
    @Order(7)
    void linkedExitReasonPropagatesBothWays() {
        String linkExit = "P = spawn(%s, fun() -> receive go -> exit({custom, 42}) end end), "
                + "process_flag(trap_exit, true), link(P), P ! go, "
                + "receive {'EXIT', P, R} -> R after 5000 -> timeout end";
        assertThat(a1.eval(String.format(linkExit, b("b1")))).isEqualTo("{custom,42}");
        assertThat(b1.eval(String.format(linkExit, a("a1")))).isEqualTo("{custom,42}");
    }

    @Test
    @Order(8)
    void monitorDeliversDownWithTheReason() {
        String monitorDown = "P = spawn(%s, fun() -> receive go -> exit(going_down) end end), "
                + "Ref = monitor(process, P), P ! go, "
                + "receive {'DOWN', Ref, process, P, R} -> R after 5000 -> timeout end";
        assertThat(a1.eval(String.format(monitorDown, b("b1")))).isEqualTo("going_down");
        assertThat(b1.eval(String.format(monitorDown, a("a1")))).isEqualTo("going_down");
    }

    @Test
    @Order(9)
    void tenMegabyteBinaryRoundTripIsIntact() {
        assertThat(a1.eval("dg_it:big_roundtrip({echo, " + b("b1") + "}, 10000000)", Duration.ofSeconds(60))).isEqualTo("true");
        assertThat(b1.eval("dg_it:big_roundtrip({echo, " + a("a1") + "}, 10000000)", Duration.ofSeconds(60))).isEqualTo("true");
    }

    @Test
    @Order(10)
    void hundredThousandMessagesArriveInOrder() {
        b1.eval("dg_it:start_collector(order_ab, 100000)");
        a1.eval("dg_it:send_seq({order_ab, " + b("b1") + "}, 100000)", Duration.ofSeconds(60));
        b1.awaitEval("dg_it:collected(order_ab)", r -> !r.equals("pending"), Duration.ofSeconds(60));
        assertThat(b1.eval("dg_it:collected(order_ab)")).isEqualTo("{in_order,100000}");

        a1.eval("dg_it:start_collector(order_ba, 100000)");
        b1.eval("dg_it:send_seq({order_ba, " + a("a1") + "}, 100000)", Duration.ofSeconds(60));
        a1.awaitEval("dg_it:collected(order_ba)", r -> !r.equals("pending"), Duration.ofSeconds(60));
        assertThat(a1.eval("dg_it:collected(order_ba)")).isEqualTo("{in_order,100000}");
    }

    @Test
    @Order(11)
    void sitesStaySeparateMeshes() {
        ErlangNode a2 = sites.startNode(siteA, "a2");
        ErlangNode b2 = sites.startNode(siteB, "b2");
        assertThat(a1.eval("net_adm:ping(" + a("a2") + ")")).isEqualTo("pong");
        assertThat(b1.eval("net_adm:ping(" + b("b2") + ")")).isEqualTo("pong");
        assertThat(a1.eval("net_adm:ping(" + b("b1") + ")")).isEqualTo("pong");

        // a1 sees only its own site as visible nodes; b1 is hidden.
        assertThat(a1.eval("nodes()")).isEqualTo("[" + printed(siteA, "a2") + "]");
        assertThat(a1.eval("nodes(hidden)")).contains("b1@");
        assertThat(b1.eval("nodes()")).doesNotContain("a1@").doesNotContain("a2@");
        // a2 never sent anything across, so it has no connection to site B.
        assertThat(a2.eval("nodes(connected)")).doesNotContain("b1@").doesNotContain("b2@");
        assertThat(b2.eval("nodes(connected)")).doesNotContain("a1@").doesNotContain("a2@");

        // A global name registered in site A is visible in site A only.
        a1.eval("P = spawn(fun() -> receive stop -> ok end end), yes = global:register_name(site_a_service, P)");
        a2.awaitEval("global:sync(), global:whereis_name(site_a_service) =/= undefined", "true"::equals, QUICK);
        assertThat(b1.eval("global:sync(), global:whereis_name(site_a_service)")).isEqualTo("undefined");
        assertThat(b2.eval("global:sync(), global:whereis_name(site_a_service)")).isEqualTo("undefined");
        a2.stop();
        b2.stop();
    }

    @Test
    @Order(12)
    void simultaneousConnectsConvergeToOneConnection() throws Exception {
        ErlangNode a3 = sites.startNode(siteA, "a3");
        ErlangNode b3 = sites.startNode(siteB, "b3");
        for (int round = 1; round <= 50; round++) {
            CompletableFuture<String> fromA = a3.evalAsync("net_adm:ping(" + b("b3") + ")", QUICK);
            CompletableFuture<String> fromB = b3.evalAsync("net_adm:ping(" + a("a3") + ")", QUICK);
            assertThat(fromA.get(15, TimeUnit.SECONDS)).as("round %d, a3 -> b3", round).isEqualTo("pong");
            assertThat(fromB.get(15, TimeUnit.SECONDS)).as("round %d, b3 -> a3", round).isEqualTo("pong");
            assertThat(a3.eval("[N || {N, _} <- erlang:system_info(dist_ctrl), N =:= " + b("b3") + "]"))
                    .as("round %d: a3's connections to b3", round).isEqualTo("[" + printed(siteB, "b3") + "]");
            a3.eval("erlang:disconnect_node(" + b("b3") + ")");
            b3.awaitEval("lists:member(" + a("a3") + ", nodes(connected))", "false"::equals, QUICK);
            a3.awaitEval("lists:member(" + b("b3") + ", nodes(connected))", "false"::equals, QUICK);
        }
        a3.stop();
        b3.stop();
    }

    @Test
    @Order(13)
    void restartedRemoteNodeGoesDownAndComesBackWithNewCreation() {
        ErlangNode b4 = sites.startNode(siteB, "b4");
        assertThat(a1.eval("net_adm:ping(" + b("b4") + ")")).isEqualTo("pong");
        String creation = a1.eval("rpc:call(" + b("b4") + ", erlang, system_info, [creation])");
        a1.eval("dg_it:watch_node(" + b("b4") + ")");
        b4.kill();
        a1.awaitEval("dg_it:node_down(" + b("b4") + ")", r -> !r.equals("none"), QUICK);

        sites.startNode(siteB, "b4");
        assertThat(a1.eval("net_adm:ping(" + b("b4") + ")")).isEqualTo("pong");
        assertThat(a1.eval("rpc:call(" + b("b4") + ", erlang, system_info, [creation])")).isNotEqualTo(creation);
        assertThat(a1.eval("dg_it:ask({echo, " + a("a1") + "}, still_fine, 5000)")).isEqualTo("still_fine");
    }

    @Test
    @Order(14)
    void nodeWithWrongCookieIsRefusedAndFarSiteNeverSeesIt() {
        b1.eval("dg_it:start_node_events()");
        double before = handshakeFailures("bad_cookie");
        NodeOptions wrong = new NodeOptions("a5", siteA.nameMode(), "not-the-cookie-of-a", siteA.epmd().port())
                .gateway(sites.nameService("a")).codePath(io.distgate.it.harness.TestErlang.ebin());
        ErlangNode a5 = siteA.startNode(wrong);
        assertThat(a5.eval("net_adm:ping(" + b("b1") + ")")).isEqualTo("pang");
        assertThat(b1.eval("dg_it:node_events()")).doesNotContain("a5@");
        assertThat(b1.eval("nodes(connected)")).doesNotContain("a5@");
        assertThat(sites.gatewayOf("a").awaitLog("reason=bad_cookie", QUICK)).as("gateway log names bad_cookie").isTrue();
        assertThat(handshakeFailures("bad_cookie")).isGreaterThan(before);
        a5.stop();
    }

    private double handshakeFailures(String reason) {
        return Prom.sum(sites.gatewayOf("a").scrape(), "distgate_handshake_failures_total", Map.of("reason", reason));
    }

    @Test
    @Order(15)
    void garbageAndOversizedFramesAreRefusedAndOthersKeepWorking() throws Exception {
        String nameService = sites.nameService("a");
        double refusedBefore = Prom.sum(sites.gatewayOf("a").scrape(), "distgate_connections_refused_total", Map.of());

        // Name service: an HTTP request, and a request declaring 65535 bytes (epmd's cap is 3057).
        assertThat(RawSockets.sendAndAwaitClose(nameService, "GET / HTTP/1.0\r\n\r\n".getBytes())).isTrue();
        assertThat(RawSockets.sendAndAwaitClose(nameService, new byte[] {(byte) 0xff, (byte) 0xff, 122})).isTrue();

        // Proxy port for b1: garbage, then a handshake frame declaring 65535 bytes.
        int proxy = RawSockets.portPlease(nameService, siteB.nodeName("b1"));
        String proxyAddress = "127.0.0.1:" + proxy;
        assertThat(RawSockets.sendAndAwaitClose(proxyAddress, "\u0000\u0005hello".getBytes())).isTrue();
        assertThat(RawSockets.sendAndAwaitClose(proxyAddress, new byte[] {(byte) 0xff, (byte) 0xff, 'N'})).isTrue();

        assertThat(sites.gatewayOf("a").awaitLog("listener=name_service", QUICK)).isTrue();
        assertThat(sites.gatewayOf("a").awaitLog("listener=proxy", QUICK)).isTrue();
        assertThat(Prom.sum(sites.gatewayOf("a").scrape(), "distgate_connections_refused_total", Map.of()))
                .isGreaterThanOrEqualTo(refusedBefore + 4);
        assertThat(a1.eval("dg_it:ask({echo, " + b("b1") + "}, after_garbage, 5000)")).isEqualTo("after_garbage");
    }

    @Test
    @Order(16)
    void regSendMessagesAreCountedByOperation() {
        b1.eval("dg_it:start_sink(counted_sink)");
        Map<String, String> regSendOut = Map.of("site", "a", "direction", "out", "op", "reg_send");
        double before = Prom.sum(sites.gatewayOf("a").scrape(), "distgate_relay_messages_total", regSendOut);
        a1.eval("dg_it:reg_send_n(counted_sink, " + b("b1") + ", 100)");
        b1.awaitEval("dg_it:sink_count(counted_sink)", "100"::equals, QUICK);
        double after = Prom.sum(sites.gatewayOf("a").scrape(), "distgate_relay_messages_total", regSendOut);
        assertThat(after - before).as("reg_send messages counted by gateway a, direction out").isEqualTo(100.0);
    }

    /** A gibibyte in 1 MiB binaries to a process that never reads: it all arrives, the gateway stays small. */
    @Test
    @Order(50)
    void gibibyteToANonReadingProcessArrivesWithGatewayMemoryBounded() {
        b1.eval("dg_it:start_sink(bulk_sink)");
        a1.eval("persistent_term:put(dg_sender, dg_it:send_bulk({bulk_sink, " + b("b1") + "}, 1048576, 1024))");
        long peak = 0;
        String count = "0";
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(180);
        while (!count.equals("1024") && System.nanoTime() < deadline) {
            peak = Math.max(peak, gatewaysResident());
            count = b1.eval("dg_it:sink_count(bulk_sink)");
        }
        assertThat(count).as("1 MiB messages in the sink").isEqualTo("1024");
        System.out.printf("measured %s: 1 GiB to a non-reading process in %d ms, gateway peak RSS %d MiB%n",
                sites.transport(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), peak >> 20);
        assertThat(peak).as("peak resident bytes of the gateway process(es) while 1 GiB passed").isLessThan(MEMORY_BOUND);
        b1.eval("exit(whereis(bulk_sink), kill)");
    }

    /** Gateways run with -Xmx256m: the JVM plus its buffers must fit well under a gibibyte. */
    private static final long MEMORY_BOUND = 512L << 20;

    /** The largest resident size among the gateway processes. */
    private long gatewaysResident() {
        return sites.gateways().stream().mapToLong(g -> g.residentBytes()).max().orElse(0);
    }

    /**
     * When the receiving node stops reading, the sender ends up suspended on a busy distribution
     * port, exactly as on a direct connection, and nothing piles up in the gateway meanwhile.
     */
    @Test
    @Order(51)
    void senderBlocksWhileTheReceiverIsStoppedAsOnADirectConnection() {
        ErlangNode a6 = sites.startNode(siteA, "a6");
        a6.eval("dg_it:start_sink(direct_sink)");
        b1.eval("dg_it:start_sink(gated_sink)");
        assertThat(a1.eval("net_adm:ping(" + a("a6") + ")")).isEqualTo("pong");

        assertThat(blockedSender(a6, "{direct_sink, " + a("a6") + "}")).as("direct connection").isEqualTo("suspended");
        long before = gatewaysResident();
        assertThat(blockedSender(b1, "{gated_sink, " + b("b1") + "}")).as("through distgate").isEqualTo("suspended");
        long grown = blockedPeak - before;
        System.out.printf("measured %s: gateway RSS growth while a sender was blocked by a stopped receiver: %d MiB%n",
                sites.transport(), grown >> 20);
        assertThat(grown).as("gateway growth while the sender was blocked (256 MiB were offered)").isLessThan(64L << 20);
        a6.stop();
        b1.eval("exit(whereis(gated_sink), kill)");
    }

    /**
     * Stops {@code receiver}, starts a1 sending 256 MiB to {@code dest}, and returns the sender's
     * status once it stops making progress; then resumes the receiver and checks everything arrives.
     */
    private long blockedPeak;

    private String blockedSender(ErlangNode receiver, String dest) {
        receiver.suspend();
        String status;
        try {
            a1.eval("persistent_term:put(dg_blocked, dg_it:send_bulk(" + dest + ", 1048576, 256))");
            status = a1.awaitEval("dg_it:bulk_status(persistent_term:get(dg_blocked))",
                    r -> r.equals("suspended") || r.equals("done"), Duration.ofSeconds(30));
            // Stay blocked a while: anything the gateways would buffer piles up now.
            blockedPeak = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until) {
                blockedPeak = Math.max(blockedPeak, gatewaysResident());
                a1.eval("dg_it:bulk_status(persistent_term:get(dg_blocked))");
            }
        } finally {
            receiver.resume();
        }
        a1.awaitEval("dg_it:bulk_status(persistent_term:get(dg_blocked))", "done"::equals, Duration.ofSeconds(60));
        return status;
    }

    @Test
    @Order(100)
    void nodedownReachesBothSitesWhenTheGatewayStops() {
        assertThat(a1.eval("net_adm:ping(" + b("b1") + ")")).isEqualTo("pong");
        a1.eval("dg_it:watch_node(" + b("b1") + ")");
        b1.eval("dg_it:watch_node(" + a("a1") + ")");
        long stopAt = Long.parseLong(a1.eval("erlang:monotonic_time(millisecond)"));
        sites.stopGateways();
        String downA = a1.awaitEval("dg_it:node_down(" + b("b1") + ")", r -> !r.equals("none"), QUICK);
        b1.awaitEval("dg_it:node_down(" + a("a1") + ")", r -> !r.equals("none"), QUICK);
        assertThat(Long.parseLong(downA) - stopAt).as("ms from gateway stop to nodedown on a1").isLessThan(2000);

        sites.startGateways();
        List<String> pings = new ArrayList<>();
        pings.add(a1.eval("net_adm:ping(" + b("b1") + ")"));
        pings.add(b1.eval("net_adm:ping(" + a("a1") + ")"));
        assertThat(pings).containsOnly("pong");
    }
}
