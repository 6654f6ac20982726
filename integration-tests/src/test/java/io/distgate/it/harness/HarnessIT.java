package io.distgate.it.harness;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.*;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proves the harness and the distgate_epmd module against real epmd and erl processes.
 * The gateway is played by {@link FakeNameService} or by a closed port.
 */
class HarnessIT {
    private static final String COOKIE_A = "site_a_cookie";
    private static final String COOKIE_B = "site_b_cookie";
    private static final String SHIM_WARNING = "distgate_epmd address_please";
    private static final long FAST_MICROS = 1_000_000;
    private static final Pattern TIMED_PING = Pattern.compile("\\{(\\d+),(pong|pang)\\}");

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @AfterEach
    void closeResources() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    @Test
    void epmdModuleAndAgentCompileWithWarningsAsErrors(@TempDir Path out) {
        ErlangTools.Compilation compilation = ErlangTools.compileResources(out,
                List.of(ErlangTools.EPMD_MODULE_RESOURCE, ErlangTools.AGENT_RESOURCE), "+warnings_as_errors");

        assertThat(compilation.output()).isBlank();
        assertThat(out.resolve("distgate_epmd.beam")).isRegularFile();
        assertThat(out.resolve("dg_agent.beam")).isRegularFile();
    }

    @Test
    void missingToolFailureNamesTheInstallCommand(@TempDir Path emptyDir) {
        assertThatThrownBy(() -> ErlangTools.find("erl", emptyDir.toString()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install -y erlang-base");
    }

    @Test
    void agentEvaluatesConcurrentlyAndPrintsTermsOnOneLine() throws Exception {
        ErlangSite site = use(ErlangSite.start("A", NameMode.SHORT, COOKIE_A));
        ErlangNode a1 = site.startNode("a1");

        assertThat(a1.name()).isEqualTo("a1@localhost");
        assertThat(a1.eval("node()")).isEqualTo("a1@localhost");
        assertThat(a1.eval("1 + 1.")).isEqualTo("2");
        assertThat(a1.eval("{\"two\\nlines\", <<\"bin\">>, [x]}")).isEqualTo("{\"two\\nlines\",<<\"bin\">>,[x]}");
        assertThat(a1.eval("erlang:get_cookie()")).isEqualTo(COOKIE_A);
        assertThat(a1.eval("{\"h\u00e9llo\", length(\"h\u00e9llo\")}")).isEqualTo("{\"h\u00e9llo\",5}");

        CompletableFuture<String> slow = a1.evalAsync("receive after 1500 -> slow end");
        assertThat(a1.eval("fast")).isEqualTo("fast");
        assertThat(slow).isNotDone();
        assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("slow");

        a1.eval("io:format(\"hello from ~s~n\", [node()])");
        assertThat(a1.logContains("hello from a1@localhost")).isTrue();

        a1.eval("spawn(fun() -> receive after 300 -> register(late, self()), receive stop -> ok end end end)");
        assertThat(a1.awaitEval("is_pid(whereis(late))", "true"::equals, Duration.ofSeconds(5))).isEqualTo("true");
    }

    @Test
    void agentReportsErrorsAndTimeoutsWithTheNodeLog() {
        ErlangSite site = use(ErlangSite.start("A", NameMode.SHORT, COOKIE_A));
        ErlangNode a1 = site.startNode("a1");
        a1.eval("io:format(\"marker-before-failure~n\")");

        assertThatThrownBy(() -> a1.eval("1 / 0"))
                .isInstanceOf(ErlangEvalException.class)
                .hasMessageContaining("marker-before-failure")
                .extracting(e -> ((ErlangEvalException) e).erlangError()).asString()
                .startsWith("error:badarith");
        assertThatThrownBy(() -> a1.eval("foo("))
                .isInstanceOf(ErlangEvalException.class)
                .hasMessageContaining("parse_error");
        assertThatThrownBy(() -> a1.eval("receive after infinity -> ok end", Duration.ofMillis(200)))
                .isInstanceOf(ErlangEvalException.class)
                .hasMessageContaining("timed out");
        assertThatThrownBy(() -> a1.eval("1 +\n1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(a1.eval("ok")).isEqualTo("ok");
    }

    @Test
    void nodeComesUpWhenDistributionFailsAndReportsWhy() {
        int noEpmdHere = FreePorts.probe();
        ErlangNode lonely = use(ErlangNode.start(
                new NodeOptions("lonely", NameMode.SHORT, COOKIE_A, noEpmdHere).allowDistributionFailure()));

        assertThat(lonely.isDistributed()).isFalse();
        assertThat(lonely.distributionError()).get().asString().contains("nodistribution");
        assertThat(lonely.eval("node()")).isEqualTo("nonode@nohost");

        assertThatThrownBy(() -> use(ErlangNode.start(new NodeOptions("strict", NameMode.SHORT, COOKIE_A, noEpmdHere))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("strict@localhost did not start")
                .hasMessageContaining("econnrefused");
    }

    @ParameterizedTest
    @EnumSource(NameMode.class)
    void sitesHaveSeparateEpmdsAndCookies(NameMode mode) {
        ErlangSite siteA = use(ErlangSite.start("A", mode, COOKIE_A));
        ErlangSite siteB = use(ErlangSite.start("B", mode, COOKIE_B));
        ErlangNode a1 = siteA.startNode("a1");
        ErlangNode b1 = siteB.startNode("b1");

        assertThat(siteA.epmd().port()).isNotEqualTo(siteB.epmd().port());
        assertThat(siteA.epmd().names()).containsOnlyKeys("a1");
        assertThat(siteB.epmd().names()).containsOnlyKeys("b1");
        assertThat(a1.eval("erlang:get_cookie()")).isEqualTo(COOKIE_A);
        assertThat(b1.eval("erlang:get_cookie()")).isEqualTo(COOKIE_B);
        assertThat(ping(a1, b1.name())).isEqualTo("pang");
    }

    @ParameterizedTest
    @EnumSource(NameMode.class)
    void nodesOfOneSitePingAndExchangeMessages(NameMode mode) {
        ErlangSite site = use(ErlangSite.start("A", mode, COOKIE_A));
        ErlangNode a1 = site.startNode("a1");
        ErlangNode a2 = site.startNode("a2");

        assertThat(ping(a1, a2.name())).isEqualTo("pong");
        assertThat(ping(a2, a1.name())).isEqualTo("pong");
        assertThat(a2.eval("register(echo, spawn(fun() -> receive {From, Msg} -> From ! {echo, node(), Msg} end end))"))
                .isEqualTo("true");
        String reply = a1.eval("{echo, '" + a2.name() + "'} ! {self(), hello}, "
                + "receive {echo, From, Msg} -> {From, Msg} after 5000 -> timeout end");
        String printedName = a1.eval("'" + a2.name() + "'"); // quoted only when it holds a dot
        assertThat(reply).isEqualTo("{" + printedName + ",hello}");
    }

    @ParameterizedTest
    @EnumSource(NameMode.class)
    void closedGatewayPortFallsBackToEpmdQuicklyAndWarnsOnce(NameMode mode) {
        String closedGateway = "127.0.0.1:" + FreePorts.probe();
        ErlangSite site = use(ErlangSite.startWithGateway("A", mode, COOKIE_A, closedGateway));
        ErlangNode a1 = site.startNode("a1");
        ErlangNode a2 = site.startNode("a2");

        assertFastPing(a1, a2.name(), "pong");
        assertThat(ping(a1, site.nodeName("absent"))).isEqualTo("pang");
        a1.eval("logger_std_h:filesync(default)");
        assertThat(a1.logLines()).filteredOn(line -> line.contains(SHIM_WARNING)).singleElement().asString()
                .contains(closedGateway, "unreachable", "econnrefused");
    }

    @ParameterizedTest
    @EnumSource(NameMode.class)
    void gatewayFromEnvironmentVariableFallsBackToEpmdQuickly(NameMode mode) {
        String closedGateway = "127.0.0.1:" + FreePorts.probe();
        ErlangSite site = use(ErlangSite.start("A", mode, COOKIE_A));
        ErlangNode a1 = site.startNode(site.nodeOptions("a1").distgateEpmd().env("DISTGATE_GATEWAY", closedGateway));
        ErlangNode a2 = site.startNode("a2");

        assertFastPing(a1, a2.name(), "pong");
        a1.eval("logger_std_h:filesync(default)");
        assertThat(a1.logContains(closedGateway)).as("warning names the gateway from the environment").isTrue();
    }

    @ParameterizedTest
    @EnumSource(NameMode.class)
    void notRoutedReplyFallsBackToEpmd(NameMode mode) throws IOException {
        FakeNameService nameService = use(FakeNameService.start(fullName -> FakeNameService.notRouted()));
        ErlangSite site = use(ErlangSite.start("A", mode, COOKIE_A));
        ErlangNode a1 = site.startNode(site.nodeOptions("a1").gateway(nameService.address()));
        ErlangNode a2 = site.startNode("a2");

        assertFastPing(a1, a2.name(), "pong");
        assertThat(nameService.requests()).contains(a2.name());
        a1.eval("logger_std_h:filesync(default)");
        assertThat(a1.logContains(SHIM_WARNING)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(NameMode.class)
    void notAvailableReplyFailsFastWithoutAskingEpmd(NameMode mode) throws IOException {
        ErlangSite site = use(ErlangSite.start("A", mode, COOKIE_A));
        String b1Name = site.nodeName("b1");
        FakeNameService nameService = use(FakeNameService.start(fullName ->
                fullName.equals(b1Name) ? FakeNameService.notAvailable() : FakeNameService.notRouted()));
        ErlangNode b1 = site.startNode("b1");
        ErlangNode a1 = site.startNode(site.nodeOptions("a1").gateway(nameService.address()));
        ErlangNode a2 = site.startNode("a2");

        // b1 is registered in the local epmd: a plain node reaches it.
        assertThat(ping(a2, b1.name())).isEqualTo("pong");
        // The gateway says the name belongs to another site where it is unavailable.
        assertFastPing(a1, b1.name(), "pang");
        assertThat(nameService.requests()).contains(b1Name);
        assertThat(a1.eval("nodes(connected)")).isEqualTo("[]");
    }

    @ParameterizedTest
    @EnumSource(NameMode.class)
    void routedReplyDialsThePortTheGatewayNames(NameMode mode) throws IOException {
        ErlangSite siteA = use(ErlangSite.start("A", mode, COOKIE_A));
        // Same cookie, but its own epmd: b1 is unknown to site A's epmd.
        ErlangSite elsewhere = use(ErlangSite.start("elsewhere", mode, COOKIE_A));
        ErlangNode b1 = elsewhere.startNode("b1");
        int b1Port = elsewhere.epmd().names().get("b1");
        FakeNameService nameService = use(FakeNameService.start(fullName ->
                fullName.equals(b1.name()) ? FakeNameService.routed(b1Port, "b1") : FakeNameService.notRouted()));
        ErlangNode a1 = siteA.startNode(siteA.nodeOptions("a1").gateway(nameService.address()));
        ErlangNode a2 = siteA.startNode("a2");

        assertThat(ping(a2, b1.name())).as("without the gateway b1 is not found").isEqualTo("pang");
        assertFastPing(a1, b1.name(), "pong");
        assertThat(nameService.requests()).contains(b1.name());
        assertThat(b1.eval("nodes()")).contains(a1.name());
    }

    @Test
    void silentGatewayFallsBackAfterTheConfiguredTimeout() throws IOException {
        FakeNameService silent = use(FakeNameService.start(fullName -> null));
        ErlangSite site = use(ErlangSite.start("A", NameMode.SHORT, COOKIE_A));
        ErlangNode a1 = site.startNode(site.nodeOptions("a1").gateway(silent.address())
                .extraArgs("-distgate_timeout", "300"));
        ErlangNode a2 = site.startNode("a2");

        long micros = timedPing(a1, a2.name(), "pong");
        // OTP asks address_please twice per attempt (select, then setup): two deadlines.
        assertThat(micros).isBetween(300_000L, 2_000_000L);
        a1.eval("logger_std_h:filesync(default)");
        assertThat(a1.logContains("timeout")).isTrue();
    }

    @Test
    void malformedReplyFallsBackAndWarns() throws IOException {
        FakeNameService broken = use(FakeNameService.start(fullName -> new byte[] {119, 9}));
        ErlangSite site = use(ErlangSite.start("A", NameMode.SHORT, COOKIE_A));
        ErlangNode a1 = site.startNode(site.nodeOptions("a1").gateway(broken.address()));
        ErlangNode a2 = site.startNode("a2");

        assertFastPing(a1, a2.name(), "pong");
        a1.eval("logger_std_h:filesync(default)");
        assertThat(a1.logContains("bad_reply")).isTrue();
    }

    @Test
    void killStopAndCloseEndProcessesByPid() {
        ErlangSite site = ErlangSite.start("A", NameMode.SHORT, COOKIE_A);
        use(site);
        ErlangNode a1 = site.startNode("a1");
        ErlangNode a2 = site.startNode("a2");
        ErlangNode a3 = site.startNode("a3");

        a1.kill();
        assertThat(a1.isAlive()).isFalse();
        a2.awaitEval("lists:keymember(\"a1\", 1, element(2, net_adm:names()))", "false"::equals, Duration.ofSeconds(5));

        a2.stop();
        assertThat(a2.isAlive()).isFalse();
        assertThat(site.epmd().names()).containsOnlyKeys("a3");

        site.close();
        assertThat(a3.isAlive()).isFalse();
        assertThat(site.epmd().isAlive()).isFalse();
        assertThat(ProcessHandle.of(a3.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    }

    private <T extends AutoCloseable> T use(T resource) {
        resources.push(resource);
        return resource;
    }

    private static String ping(ErlangNode from, String target) {
        return from.eval("net_adm:ping('" + target + "')");
    }

    private static void assertFastPing(ErlangNode from, String target, String expected) {
        assertThat(timedPing(from, target, expected)).as("ping %s -> %s in microseconds", from.name(), target)
                .isLessThan(FAST_MICROS);
    }

    /** Pings inside the node, timed there with timer:tc, so harness overhead is not counted. */
    private static long timedPing(ErlangNode from, String target, String expected) {
        String result = from.eval("timer:tc(net_adm, ping, ['" + target + "'])");
        Matcher matcher = TIMED_PING.matcher(result);
        assertThat(matcher.matches()).as("timed ping result %s", result).isTrue();
        assertThat(matcher.group(2)).as("ping %s -> %s", from.name(), target).isEqualTo(expected);
        return Long.parseLong(matcher.group(1));
    }
}
