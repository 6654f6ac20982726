package io.distgate.it.harness;

import io.distgate.gateway.local.ErlangTools;
import io.distgate.gateway.local.Processes;
import java.nio.file.Path;
import java.util.List;

/** The Erlang helper modules the scenarios call on their nodes (dg_it, dg_counter), compiled once per JVM. */
public final class TestErlang {

    private static Path ebin;

    private TestErlang() {
    }

    public static synchronized Path ebin() {
        if (ebin == null) {
            Path dir = Processes.tempDir("distgate-it-ebin");
            ErlangTools.compileResources(dir, List.of("erlang/dg_it.erl", "erlang/dg_counter.erl"), "+warnings_as_errors");
            ebin = dir;
        }
        return ebin;
    }
}
