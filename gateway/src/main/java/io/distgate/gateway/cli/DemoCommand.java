package io.distgate.gateway.cli;

import io.distgate.gateway.local.Demo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distgate demo}: two Erlang sites on this machine linked by distgate. */
@Command(name = "demo", description = "Start two Erlang sites on this machine, link them with distgate, show cross-site traffic.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--transport", defaultValue = "tls",
            description = "how the two sites are linked: tls (one gateway per site, mutual TLS; default), ssh (one gateway per site over SSH) or local (one gateway serves both)")
    Demo.Transport transport;

    @Option(names = "--check", description = "non-interactive: end with 'demo: ok' or 'demo: FAILED <reason>' and exit 0 or 1")
    boolean check;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String failure;
        try (Demo demo = new Demo(out)) {
            try {
                failure = demo.run(transport);
            } catch (RuntimeException e) {
                failure = e.getMessage() != null ? e.getMessage().lines().findFirst().orElse("") : e.toString();
            }
            if (failure == null && !check) {
                out.println("The sites are up. Press Enter to stop everything.");
                out.flush();
                new BufferedReader(new InputStreamReader(System.in)).readLine();
            }
        }
        out.println(failure == null ? "demo: ok" : "demo: FAILED " + failure);
        out.flush();
        return failure == null ? 0 : 1;
    }
}
