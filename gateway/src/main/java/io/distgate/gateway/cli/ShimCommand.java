package io.distgate.gateway.cli;

import io.distgate.gateway.local.Shim;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distgate shim --out DIR}: writes distgate_epmd.erl and compiles it when erlc is present. */
@Command(name = "shim", description = "Write the EPMD module nodes load (distgate_epmd.erl) and compile it with erlc.")
final class ShimCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "directory to write distgate_epmd.erl (and .beam) to")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Shim.Result result = Shim.write(out);
        var console = spec.commandLine().getOut();
        console.println("wrote " + result.source());
        if (result.beam() != null) {
            console.println("compiled " + result.beam());
        } else {
            console.println("erlc not found: compile it on the nodes' machine with `erlc " + result.source().getFileName()
                    + "` (Debian: apt-get install -y erlang-base)");
        }
        console.println("start nodes with: erl -epmd_module distgate_epmd -pa " + out.toAbsolutePath()
                + " -distgate_gateway HOST:PORT ...   (or DISTGATE_GATEWAY=HOST:PORT)");
        return 0;
    }
}
