package io.distgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distgate.bridge.dist.Cookie;
import io.distgate.bridge.dist.NameMode;
import io.distgate.bridge.site.SiteSettings;
import io.distgate.bridge.site.Visibility;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The configuration contract: defaults, one test per rule, and every error naming its full key path. */
class ConfigLoaderTest {

    /** An inline cookie; no message or toString may contain it. */
    private static final String SECRET = "inline-S3cret-cookie";
    /** The cookie kept in cookie files. */
    private static final String FILE_SECRET = "file-S3cret-cookie";

    private static final String SITE_KEYS = "[cookie, cookie_file, epmd_port, name, name_service, net_setuptime, "
            + "net_ticktime, node_names, nodes, proxy, visibility]";

    @TempDir
    Path dir;

    // ---- valid configurations ----------------------------------------------------------------

    @Test
    void parsesFullExampleWithEveryKeySet() throws IOException {
        Path cookieFile = cookieFile("rw-------");
        GatewayConfig config = ConfigLoader.parse("""
                sites:
                  - name: dc1
                    cookie: %s
                    node_names: longnames
                    nodes: ["app*@*.dc1.example.com", "db?"]
                    epmd_port: 4400
                    net_ticktime: 30
                    net_setuptime: 500ms
                    visibility: published
                    name_service:
                      listen: "127.0.0.1:4370"
                    proxy:
                      idle_timeout: 1h
                  - name: dc-2.east
                    cookie_file: '%s'
                    node_names: longnames
                    nodes: ["*@*.dc2.example.com"]
                    net_ticktime: 2m
                    net_setuptime: 15s
                    visibility: hidden
                    name_service:
                      listen: "[::1]:4371"
                    proxy:
                      idle_timeout: 10m
                metrics:
                  listen: "0.0.0.0:9100"
                """.formatted(SECRET, cookieFile));

        assertThat(config.sites()).hasSize(2);
        SiteConfig dc1 = config.sites().get(0);
        assertThat(dc1.name()).isEqualTo("dc1");
        assertThat(dc1.cookie()).isEqualTo(SECRET);
        assertThat(dc1.cookieFile()).isNull();
        assertThat(dc1.nodeNames()).isEqualTo("longnames");
        assertThat(dc1.nodes()).containsExactly("app*@*.dc1.example.com", "db?");
        assertThat(dc1.epmdPort()).isEqualTo(4400);
        assertThat(dc1.netTicktime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(dc1.netSetuptime()).isEqualTo(Duration.ofMillis(500));
        assertThat(dc1.visibility()).isEqualTo("published");
        assertThat(dc1.nameService().listen()).isEqualTo(new HostPort("127.0.0.1", 4370));
        assertThat(dc1.proxy().idleTimeout()).isEqualTo(Duration.ofHours(1));

        SiteConfig dc2 = config.sites().get(1);
        assertThat(dc2.name()).isEqualTo("dc-2.east");
        assertThat(dc2.cookie()).isNull();
        assertThat(dc2.cookieFile()).isEqualTo(cookieFile);
        assertThat(dc2.epmdPort()).isEqualTo(4369);
        assertThat(dc2.netTicktime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(dc2.netSetuptime()).isEqualTo(Duration.ofSeconds(15));
        assertThat(dc2.visibility()).isEqualTo("hidden");
        assertThat(dc2.nameService().listen()).isEqualTo(new HostPort("::1", 4371));
        assertThat(dc2.nameService().listen()).hasToString("[::1]:4371");
        assertThat(dc2.proxy().idleTimeout()).isEqualTo(Duration.ofMinutes(10));

        assertThat(config.metrics().listen()).isEqualTo("0.0.0.0:9100");
        assertThat(config.metrics().address()).isEqualTo(new HostPort("0.0.0.0", 9100));
    }

    @Test
    void fullExampleConvertsToBridgeSettingsWithTheCookieReadFromItsFile() throws IOException {
        Path cookieFile = cookieFile("r--------");
        GatewayConfig config = ConfigLoader.parse("""
                sites:
                  - name: dc1
                    cookie_file: '%s'
                    node_names: longnames
                    nodes: ["app*"]
                    epmd_port: 4400
                    net_ticktime: 20s
                    net_setuptime: 3s
                    visibility: published
                    name_service: {listen: "127.0.0.1:4370"}
                """.formatted(cookieFile));

        SiteSettings settings = config.sites().get(0).toSettings();

        assertThat(settings.name()).isEqualTo("dc1");
        assertThat(settings.cookie()).isEqualTo(Cookie.of(FILE_SECRET));
        assertThat(settings.nameMode()).isEqualTo(NameMode.LONG);
        assertThat(settings.nodes().globs()).containsExactly("app*");
        assertThat(settings.epmdPort()).isEqualTo(4400);
        assertThat(settings.netTicktime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.setupTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.visibility()).isEqualTo(Visibility.PUBLISHED);
    }

    @Test
    void appliesDefaultsToAMinimalSite() {
        GatewayConfig config = ConfigLoader.parse(config(site("dc1", "127.0.0.1:4370")));

        SiteConfig site = config.sites().get(0);
        assertThat(site.epmdPort()).isEqualTo(4369);
        assertThat(site.netTicktime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(site.netSetuptime()).isEqualTo(Duration.ofSeconds(7));
        assertThat(site.visibility()).isEqualTo("hidden");
        assertThat(site.nodeNames()).isEqualTo("shortnames");
        assertThat(site.proxy().idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.metrics().listen()).isEqualTo("127.0.0.1:9464");
        assertThat(config.metrics().address()).isEqualTo(new HostPort("127.0.0.1", 9464));
    }

    @Test
    void metricsSectionWithoutListenKeepsTheLoopbackDefault() {
        GatewayConfig config = ConfigLoader.parse(config(site("dc1", "127.0.0.1:4370")) + "metrics: {}\n");

        assertThat(config.metrics().address()).isEqualTo(new HostPort("127.0.0.1", 9464));
    }

    @Test
    void metricsListenNoneTurnsTheEndpointOff() {
        GatewayConfig config = ConfigLoader.parse(config(site("dc1", "127.0.0.1:4370")) + "metrics:\n  listen: none\n");

        assertThat(config.metrics().listen()).isEqualTo("none");
        assertThat(config.metrics().address()).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "7s,    PT7S",
        "10m,   PT10M",
        "1h,    PT1H",
        "60,    PT60S",
        "0,     PT0S",
    })
    void durationsAcceptUnitsAndPlainSeconds(String text, Duration expected) {
        assertThat(Durations.parse("net_ticktime", text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"500ms", "7s", "10m", "1h", "90s"})
    void durationsFormatReadsBack(String text) {
        assertThat(Durations.format(Durations.parse("k", text))).isEqualTo(text);
    }

    @Test
    void durationWrittenAsYamlNumberIsSeconds() {
        GatewayConfig config = ConfigLoader.parse(config(site("dc1", "127.0.0.1:4370", "net_ticktime: 45")));

        assertThat(config.sites().get(0).netTicktime()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void loadsAConfigurationFile() throws IOException {
        Path file = Files.writeString(dir.resolve("distgate.yaml"), config(site("dc1", "127.0.0.1:4370")));

        GatewayConfig config = ConfigLoader.load(file);

        assertThat(config.sites()).extracting(SiteConfig::name).containsExactly("dc1");
    }

    @Test
    void severalSitesMayAskForAnyFreePort() {
        GatewayConfig config = ConfigLoader.parse(config(site("dc1", "127.0.0.1:0"), site("dc2", "127.0.0.1:0")));

        assertThat(config.sites()).hasSize(2);
    }

    // ---- secrets -----------------------------------------------------------------------------

    @Test
    void toStringMasksTheInlineCookie() {
        GatewayConfig config = ConfigLoader.parse(config(site("dc1", "127.0.0.1:4370")));

        assertThat(config.toString()).doesNotContain(SECRET).contains("cookie=****");
        assertThat(config.sites().get(0).toString()).doesNotContain(SECRET).contains("cookie=****");
    }

    @Test
    void toStringOfACookieFileSiteNamesTheFileNotItsContent() throws IOException {
        Path cookieFile = cookieFile("rw-------");
        GatewayConfig config = ConfigLoader.parse(config(siteWithCookieFile("dc1", cookieFile)));

        assertThat(config.toString()).doesNotContain(FILE_SECRET).contains("cookie=file " + cookieFile);
    }

    @Test
    void invalidCookieIsRefusedWithoutEchoingIt() {
        String yaml = config(site("dc1", "127.0.0.1:4370")).replace("cookie: " + SECRET, "cookie: \"" + SECRET + "\\t\"");

        assertThatThrownBy(() -> ConfigLoader.parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("sites[0].cookie: ")
                .hasMessageNotContaining(SECRET);
    }

    // ---- cookie and cookie_file --------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"r--------", "rw-------"})
    void acceptsOwnerOnlyCookieFile(String mode) throws IOException {
        Path cookieFile = cookieFile(mode);

        GatewayConfig config = ConfigLoader.parse(config(siteWithCookieFile("dc1", cookieFile)));

        assertThat(config.sites().get(0).cookieFile()).isEqualTo(cookieFile);
    }

    @Test
    void refusesCookieFileReadableByOthersNamingTheFileAndTheFix() throws IOException {
        Path cookieFile = cookieFile("rw-r--r--");

        String yaml = config(site("dc1", "127.0.0.1:4370"), siteWithCookieFile("dc2", "127.0.0.1:4371", cookieFile));

        assertThatThrownBy(() -> ConfigLoader.parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("sites[1].cookie_file: " + cookieFile + " ")
                .hasMessageContaining("rw-r--r--")
                .hasMessageEndingWith("chmod 400 " + cookieFile)
                .hasMessageNotContaining(FILE_SECRET);
    }

    @Test
    void refusesCookieFileWritableByGroup() throws IOException {
        Path cookieFile = cookieFile("rw--w----");

        assertThatThrownBy(() -> ConfigLoader.parse(config(siteWithCookieFile("dc1", cookieFile))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("sites[0].cookie_file: " + cookieFile + " is open to group or others")
                .hasMessageEndingWith("chmod 400 " + cookieFile);
    }

    @Test
    void refusesMissingCookieFile() {
        Path missing = dir.resolve("no-such-cookie");

        assertRejected(config(siteWithCookieFile("dc1", missing)), "sites[0].cookie_file: " + missing + " does not exist");
    }

    @Test
    void refusesEmptyCookieFile() throws IOException {
        Path cookieFile = Files.createTempFile(dir, "cookie", "");
        Files.setPosixFilePermissions(cookieFile, PosixFilePermissions.fromString("rw-------"));

        assertRejected(config(siteWithCookieFile("dc1", cookieFile)),
                "sites[0].cookie_file: " + cookieFile + ": cookie is empty");
    }

    @Test
    void refusesBothCookieAndCookieFile() throws IOException {
        Path cookieFile = cookieFile("rw-------");

        assertRejected(config(site("dc1", "127.0.0.1:4370", "cookie_file: '" + cookieFile + "'")),
                "sites[0].cookie: set exactly one of cookie and cookie_file");
    }

    @Test
    void refusesSiteWithNeitherCookieNorCookieFile() {
        assertRejected("""
                sites:
                  - name: dc1
                    nodes: ["app*"]
                    name_service: {listen: "127.0.0.1:4370"}
                """, "sites[0].cookie: set exactly one of cookie and cookie_file");
    }

    // ---- one test per rule -------------------------------------------------------------------

    @Test
    void refusesUnknownKeyListingTheKnownOnes() {
        assertRejected(config(site("dc1", "127.0.0.1:4370", "cokie: x")),
                "sites[0].cokie: unknown key (known here: " + SITE_KEYS + ")");
    }

    @Test
    void misspelledRequiredKeyIsReportedAsUnknownRatherThanMissing() {
        assertRejected("""
                sites:
                  - name: dc1
                    cookie: x
                    nodes: ["app*"]
                    name_service: {listen: "127.0.0.1:4370"}
                  - name: dc2
                    cokie: x
                    nodes: ["db*"]
                    name_service: {listen: "127.0.0.1:4371"}
                """, "sites[1].cokie: unknown key (known here: " + SITE_KEYS + ")");
    }

    @Test
    void misspelledNestedRequiredKeyIsReportedAsUnknown() {
        assertRejected(config(site("dc1", "127.0.0.1:4370")).replace("{listen:", "{lisen:"),
                "sites[0].name_service.lisen: unknown key (known here: [listen])");
    }

    @Test
    void refusesUnknownTopLevelKey() {
        assertRejected(config(site("dc1", "127.0.0.1:4370")) + "sitez: []\n",
                "sitez: unknown key (known here: [metrics, peers, sites, tunnel])");
    }

    @Test
    void refusesUnknownKeyInNestedSection() {
        assertRejected(config(site("dc1", "127.0.0.1:4370", "proxy: {idle: 5s}")),
                "sites[0].proxy.idle: unknown key (known here: [idle_timeout])");
    }

    @Test
    void refusesKeyWrittenTwice() {
        assertRejected(config(site("dc1", "127.0.0.1:4370", "cookie: other")), "sites[0].cookie: set twice (line 6); keep one");
    }

    @Test
    void refusesMissingSites() {
        assertRejected("metrics: {listen: none}\n", "sites: missing: list at least one site the gateway joins");
    }

    @Test
    void refusesEmptySiteList() {
        assertRejected("sites: []\n", "sites: missing: list at least one site the gateway joins");
    }

    @Test
    void refusesEmptySiteEntry() {
        assertRejected("sites:\n  -\n", "sites[0]: empty entry: expected a site section (name, cookie, nodes, name_service)");
    }

    @Test
    void refusesMissingSiteName() {
        assertRejected("""
                sites:
                  - cookie: x
                    nodes: ["app*"]
                    name_service: {listen: "127.0.0.1:4370"}
                """, "sites[0].name: missing (a short site name such as dc1)");
    }

    @Test
    void refusesSiteNameThatIsNotAName() {
        assertRejected(config(site("DC 1", "127.0.0.1:4370")),
                "sites[0].name: 'DC 1' is not a site name (1..63 of lower-case letters, digits, '_', '.', '-',"
                        + " starting with a letter or digit)");
    }

    @Test
    void refusesDuplicateSiteNames() {
        assertRejected(config(site("dc1", "127.0.0.1:4370"), site("dc1", "127.0.0.1:4371")),
                "sites[1].name: 'dc1' is already the name of sites[0]");
    }

    @Test
    void refusesDuplicateNameServiceListenAddress() {
        assertRejected(config(site("dc1", "127.0.0.1:4370"), site("dc2", "127.0.0.1:4371"), site("dc3", "127.0.0.1:4370")),
                "sites[2].name_service.listen: 127.0.0.1:4370 is already used by site dc1");
    }

    @Test
    void refusesNameServiceListenOverlappingAWildcardOnTheSamePort() {
        assertRejected(config(site("dc1", "0.0.0.0:4370"), site("dc2", "127.0.0.1:4370")),
                "sites[1].name_service.listen: 127.0.0.1:4370 overlaps 0.0.0.0:4370, which is already used by site dc1");
    }

    @Test
    void refusesMetricsListenOnANameServiceAddress() {
        assertRejected(config(site("dc1", "127.0.0.1:9464")),
                "metrics.listen: 127.0.0.1:9464 is already used by site dc1 (name_service.listen 127.0.0.1:9464)");
    }

    @Test
    void refusesMixingShortnamesAndLongnamesSites() {
        assertRejected(config(site("dc1", "127.0.0.1:4370"), site("dc2", "127.0.0.1:4371", "node_names: longnames")),
                "sites[1].node_names: site dc2 uses longnames but site dc1 uses shortnames; "
                        + "Erlang cannot connect short-name and long-name nodes");
    }

    @Test
    void refusesUnknownNodeNamesMode() {
        assertRejected(config(site("dc1", "127.0.0.1:4370", "node_names: short")),
                "sites[0].node_names: expected shortnames or longnames, got 'short'");
    }

    @Test
    void refusesSiteWithoutNodes() {
        assertRejected("""
                sites:
                  - name: dc1
                    cookie: x
                    name_service: {listen: "127.0.0.1:4370"}
                """, "sites[0].nodes: missing: list the node-name patterns of this site, e.g. [\"app*@*.dc1.example.com\"]");
    }

    @Test
    void refusesEmptyNodePattern() {
        assertRejected(config(site("dc1", "127.0.0.1:4370")).replace("[\"app*\"]", "[\"app*\", \"\"]"),
                "sites[0].nodes[1]: empty node-name pattern");
    }

    @Test
    void refusesNodePatternWithTwoAts() {
        assertRejected(config(site("dc1", "127.0.0.1:4370")).replace("[\"app*\"]", "[\"a@b@c\"]"),
                "sites[0].nodes[0]: node pattern 'a@b@c' has more than one '@'");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 70000})
    void refusesEpmdPortOutsideRange(int port) {
        assertRejected(config(site("dc1", "127.0.0.1:4370"), site("dc2", "127.0.0.1:4371", "epmd_port: " + port)),
                "sites[1].epmd_port: " + port + " is outside 1..65535");
    }

    @Test
    void refusesNetTicktimeBelowOneSecond() {
        assertRejected(config(site("dc1", "127.0.0.1:4370", "net_ticktime: 999ms")),
                "sites[0].net_ticktime: must be at least 1s, got 999ms");
    }

    @ParameterizedTest
    @CsvSource({"50ms, 50ms", "121s, 121s", "120500ms, 120500ms"})
    void refusesNetSetuptimeOutsideErlangsRange(String written, String shown) {
        assertRejected(config(site("dc1", "127.0.0.1:4370", "net_setuptime: " + written)),
                "sites[0].net_setuptime: must be 100ms..120s (Erlang's range), got " + shown);
    }

    @Test
    void refusesProxyIdleTimeoutBelowOneSecond() {
        assertRejected(config(site("dc1", "127.0.0.1:4370", "proxy: {idle_timeout: 500ms}")),
                "sites[0].proxy.idle_timeout: must be at least 1s, got 500ms");
    }

    @Test
    void refusesUnknownVisibility() {
        assertRejected(config(site("dc1", "127.0.0.1:4370", "visibility: public")),
                "sites[0].visibility: expected hidden or published, got 'public'");
    }

    @Test
    void refusesMissingNameService() {
        assertRejected("""
                sites:
                  - name: dc1
                    cookie: x
                    nodes: ["app*"]
                """, "sites[0].name_service: missing: the address nodes of this site ask (name_service.listen)");
    }

    @Test
    void refusesNameServiceWithoutListen() {
        assertRejected(config(site("dc1", "127.0.0.1:4370")).replace("{listen: \"127.0.0.1:4370\"}", "{}"),
                "sites[0].name_service.listen: missing: host:port nodes of this site ask, e.g. 127.0.0.1:4370");
    }

    @Test
    void refusesNameServiceListenThatIsNotHostPort() {
        assertRejected(config(site("dc1", "localhost")), "sites[0].name_service.listen: 'localhost' is not host:port");
    }

    @Test
    void refusesNameServiceListenPortOutOfRange() {
        assertRejected(config(site("dc1", "127.0.0.1:65536")), "sites[0].name_service.listen: port 65536 is outside 0..65535");
    }

    @Test
    void refusesNameServiceListenPortThatIsNotANumber() {
        assertRejected(config(site("dc1", "127.0.0.1:epmd")),
                "sites[0].name_service.listen: port in '127.0.0.1:epmd' is not a number");
    }

    @Test
    void refusesMetricsListenThatIsNotHostPort() {
        assertRejected(config(site("dc1", "127.0.0.1:4370")) + "metrics:\n  listen: off\n",
                "metrics.listen: 'off' is not host:port");
    }

    @Test
    void refusesMalformedDuration() {
        assertRejected(config(site("dc1", "127.0.0.1:4370", "net_ticktime: 7x")),
                "sites[0].net_ticktime: '7x' is not a duration (write e.g. 500ms, 7s, 10m, 1h, or seconds)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5s", "-1s", "7 sec", "", "1h30m"})
    void durationsRefuseOtherForms(String text) {
        assertThatThrownBy(() -> Durations.parse("proxy.idle_timeout", text))
                .isInstanceOf(ConfigException.class)
                .hasMessage("proxy.idle_timeout: '" + text + "' is not a duration (write e.g. 500ms, 7s, 10m, 1h, or seconds)");
    }

    @Test
    void refusesDurationTooLongToRepresent() {
        assertRejected(config(site("dc1", "127.0.0.1:4370", "net_ticktime: 99999999999999999999h")),
                "sites[0].net_ticktime: '99999999999999999999h' is too long a duration");
    }

    // ---- values of the wrong type ------------------------------------------------------------

    @Test
    void refusesListWhereAStringIsExpected() {
        assertRejected(config(site("dc1", "127.0.0.1:4370", "visibility: [hidden]")),
                "sites[0].visibility: expected a string, got a list");
    }

    @Test
    void refusesTextWhereANumberIsExpected() {
        assertRejected(config(site("dc1", "127.0.0.1:4370", "epmd_port: epmd")),
                "sites[0].epmd_port: expected a whole number, got 'epmd'");
    }

    @Test
    void refusesFractionWhereAWholeNumberIsExpected() {
        assertRejected(config(site("dc1", "127.0.0.1:4370", "epmd_port: 4369.5")),
                "sites[0].epmd_port: expected a whole number, got 4369.5");
    }

    @Test
    void refusesNumberTooLargeForAWholeNumber() {
        assertRejected(config(site("dc1", "127.0.0.1:4370", "epmd_port: 99999999999")),
                "sites[0].epmd_port: expected a whole number, got 99999999999, which is too large");
    }

    @Test
    void refusesSingleValueWhereAListIsExpected() {
        assertRejected(config(site("dc1", "127.0.0.1:4370")).replace("[\"app*\"]", "\"app*\""),
                "sites[0].nodes: expected a list, got 'app*'");
    }

    @Test
    void refusesSectionWhereAListIsExpected() {
        assertRejected("sites:\n  name: dc1\n", "sites: expected a list, got a section");
    }

    @Test
    void refusesValueWhereASectionIsExpected() {
        assertRejected(config(site("dc1", "127.0.0.1:4370")).replace("{listen: \"127.0.0.1:4370\"}", "\"127.0.0.1:4370\""),
                "sites[0].name_service: expected a section with keys [listen], got '127.0.0.1:4370'");
    }

    @Test
    void refusesListWhereADurationIsExpected() {
        assertRejected(config(site("dc1", "127.0.0.1:4370", "net_ticktime: [60]")),
                "sites[0].net_ticktime: expected a duration such as 500ms, 7s, 10m, 1h, got a list");
    }

    @Test
    void refusesListWhereHostPortIsExpected() {
        assertRejected(config(site("dc1", "127.0.0.1:4370")).replace("{listen: \"127.0.0.1:4370\"}", "{listen: [a, b]}"),
                "sites[0].name_service.listen: expected host:port, got a list");
    }

    // ---- the file as a whole -----------------------------------------------------------------

    @Test
    void missingConfigurationFileIsAClearError() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage("configuration file " + missing + " does not exist");
    }

    @Test
    void emptyConfigurationIsAClearError() {
        assertRejected("", "the configuration is empty");
        assertRejected("# nothing but a comment\n", "the configuration is empty");
    }

    @Test
    void invalidYamlIsAClearErrorWithItsLine() {
        assertRejected("sites:\n\t- name: dc1\n",
                "not valid YAML at line 2, column 1: found character '\\t(TAB)' that cannot start any token. "
                        + "(Do not use \\t(TAB) for indentation) (while scanning for the next token)");
    }

    @Test
    void unclosedListIsAClearErrorWithItsLine() {
        assertRejected("sites: [\n",
                "not valid YAML at line 2, column 1: expected the node content, but found '<stream end>' "
                        + "(while parsing a flow node)");
    }

    @Test
    void topLevelThatIsNotASectionIsAClearError() {
        assertRejected("- dc1\n", "expected a section with keys [metrics, peers, sites, tunnel] at the top, got a list");
    }

    @Test
    void everyErrorCarriesItsKeySeparately() {
        ConfigException e = catchConfigException(
                config(site("dc1", "127.0.0.1:4370"), site("dc2", "127.0.0.1:4371", "epmd_port: 0")));

        assertThat(e.key()).isEqualTo("sites[1].epmd_port");
        assertThat(e.problem()).isEqualTo("0 is outside 1..65535");
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static void assertRejected(String yaml, String message) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    private static ConfigException catchConfigException(String yaml) {
        try {
            ConfigLoader.parse(yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException for:\n" + yaml);
    }

    private Path cookieFile(String mode) throws IOException {
        Path file = Files.createTempFile(dir, "cookie", "");
        Files.writeString(file, FILE_SECRET + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static String config(String... sites) {
        return "sites:\n" + String.join("", sites);
    }

    /** A minimal site with an inline cookie; {@code extra} lines are added as further keys of the site. */
    private static String site(String name, String listen, String... extra) {
        StringBuilder yaml = new StringBuilder()
                .append("  - name: ").append(name).append('\n')
                .append("    cookie: ").append(SECRET).append('\n')
                .append("    nodes: [\"app*\"]\n")
                .append("    name_service: {listen: \"").append(listen).append("\"}\n");
        for (String line : List.of(extra)) {
            yaml.append("    ").append(line).append('\n');
        }
        return yaml.toString();
    }

    private static String siteWithCookieFile(String name, Path cookieFile) {
        return siteWithCookieFile(name, "127.0.0.1:4370", cookieFile);
    }

    private static String siteWithCookieFile(String name, String listen, Path cookieFile) {
        return "  - name: " + name + "\n"
                + "    cookie_file: '" + cookieFile + "'\n"
                + "    nodes: [\"app*\"]\n"
                + "    name_service: {listen: \"" + listen + "\"}\n";
    }
}
