package io.distgate.gateway.cli;

import io.distgate.tls.DevCa;
import io.distgate.tls.IssuedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distgate certs}: a development CA and one certificate per site, for trials. */
@Command(name = "certs", description = "Make a development CA and a certificate per site (for trials; use your own PKI in production).")
final class CertsCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "directory for ca.crt, ca.key, <site>.crt, <site>.key")
    Path out;

    @Option(names = "--sites", required = true, split = ",", description = "site names, e.g. a,b")
    List<String> sites;

    @Option(names = "--dns", split = ",", description = "extra DNS subjectAltNames for every site certificate")
    List<String> dns = List.of();

    @Option(names = "--days", defaultValue = "825", description = "validity of the site certificates in days (default ${DEFAULT-VALUE})")
    int days;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        Path caFile = out.resolve(DevCa.CA_CERTIFICATE_FILE);
        DevCa ca;
        var console = spec.commandLine().getOut();
        if (Files.exists(caFile)) {
            ca = DevCa.load(out);
            console.println("using the CA in " + caFile);
        } else {
            ca = DevCa.create();
            ca.writeTo(out);
            console.println("wrote " + caFile + " and " + out.resolve(DevCa.CA_KEY_FILE));
        }
        for (String site : sites) {
            IssuedCertificate cert = ca.issueSite(site, Duration.ofDays(days), dns, List.of());
            cert.writeTo(out);
            console.println("wrote " + cert.certificateFile(out) + " and " + cert.keyFile(out)
                    + " (subjectAltName URI urn:distgate:site:" + site + ")");
        }
        console.println("Development CA: " + DevCa.NOTICE + ".");
        console.println("Each gateway's tunnel.tls: cert <site>.crt, key <site>.key, ca ca.crt.");
        return 0;
    }
}
