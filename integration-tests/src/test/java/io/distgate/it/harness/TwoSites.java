package io.distgate.it.harness;

import io.distgate.gateway.local.ErlangNode;
import io.distgate.gateway.local.ErlangSite;
import io.distgate.gateway.local.GatewayProcess;
import io.distgate.gateway.local.NodeOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * Two Erlang sites on this machine linked by distgate, whatever the transport: one gateway
 * process bridging both (local), or one gateway per site over TLS or SSH. The cross-site
 * scenarios run against this, so every transport passes the same ones.
 */
public interface TwoSites extends AutoCloseable {

    String COOKIE_A = "cookie-of-site-a";
    String COOKIE_B = "cookie-of-site-b";

    /** local, tls or ssh. */
    String transport();

    ErlangSite siteA();

    ErlangSite siteB();

    /** The gateway process serving {@code site} ("a" or "b"). */
    GatewayProcess gatewayOf(String site);

    List<GatewayProcess> gateways();

    /** Stops every gateway process (SIGTERM). */
    void stopGateways();

    /** Starts the gateways again with the same configuration and ports. */
    void startGateways();

    /** The name-service address of {@code site} ("a" or "b"), host:port. */
    String nameService(String site);

    /** Starts a node of {@code site} with the gateway configured and the test helpers loaded. */
    default ErlangNode startNode(ErlangSite site, String alive) {
        return site.startNode(options(site, alive));
    }

    default NodeOptions options(ErlangSite site, String alive) {
        return site.nodeOptions(alive).codePath(TestErlang.ebin());
    }

    /** Where the gateway jar is: built by the gateway module before these tests run. */
    static Path jar() {
        String jar = System.getProperty("distgate.jar");
        if (jar == null || !java.nio.file.Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("gateway jar not found at " + jar
                    + "; run the tests with `mvn verify` so the gateway module is packaged first");
        }
        return Path.of(jar);
    }

    @Override
    void close();
}
