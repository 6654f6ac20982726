package io.distgate.gateway.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/** The EPMD module nodes load ({@code -epmd_module distgate_epmd}), shipped in the jar. */
public final class Shim {

    public static final String MODULE = "distgate_epmd";
    private static final String RESOURCE = "/erlang/" + MODULE + ".erl";

    /** What was written: the source, and the compiled module or null when erlc is missing. */
    public record Result(Path source, Path beam) {
    }

    private Shim() {
    }

    public static Result write(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path source = dir.resolve(MODULE + ".erl");
        try (InputStream in = Shim.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the distgate jar");
            }
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        var erlc = ErlangTools.locate("erlc");
        if (erlc.isEmpty()) {
            return new Result(source, null);
        }
        Process p = new ProcessBuilder(erlc.get().toString(), "+warnings_as_errors", "-o", dir.toString(), source.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("erlc failed for " + source + ": " + output.strip());
        }
        return new Result(source, dir.resolve(MODULE + ".beam"));
    }
}
