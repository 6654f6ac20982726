package io.distgate.gateway.local;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Locates the OTP tools and compiles Erlang sources for the harness.
 *
 * <p>Interop tests never skip silently: a missing tool is an {@link IllegalStateException}
 * that names the package to install.
 */
public final class ErlangTools {
    public static final String INSTALL_COMMAND = "apt-get install -y erlang-base";
    /** Source of the EPMD module, shipped in bridge-node's resources. */
    public static final String EPMD_MODULE_RESOURCE = "erlang/distgate_epmd.erl";
    /** Source of the test agent every harness node runs. */
    public static final String AGENT_RESOURCE = "erlang/dg_agent.erl";

    private static final Duration COMPILE_BOUND = Duration.ofSeconds(120);
    private static Path harnessEbin;

    private ErlangTools() {
    }

    public static Path erl() {
        return onPath("erl");
    }

    public static Path erlc() {
        return onPath("erlc");
    }

    public static Path epmd() {
        return onPath("epmd");
    }

    /** The outcome of one erlc run that succeeded; {@code output} holds any warnings. */
    public record Compilation(Path outDir, String output) {
    }

    /**
     * Compiles {@code sources} into {@code outDir} with the given erlc options (for
     * example {@code +warnings_as_errors}).
     *
     * @throws IllegalStateException with erlc's output when erlc fails
     */
    public static Compilation compile(Path outDir, List<Path> sources, String... erlcOptions) {
        List<String> command = new ArrayList<>(List.of(erlc().toString(), "-o", outDir.toString()));
        command.addAll(List.of(erlcOptions));
        sources.forEach(source -> command.add(source.toString()));
        // Output goes to a file, not a pipe, so a hung erlc cannot block the bounded wait.
        Path outputFile = Processes.tempDir("distgate-erlc").resolve("erlc.out");
        Process process = Processes.start(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(outputFile.toFile()));
        if (!Processes.awaitExit(process, COMPILE_BOUND)) {
            Processes.kill(process);
            throw new IllegalStateException("erlc did not finish within " + COMPILE_BOUND + ": " + command);
        }
        String output = read(outputFile);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("erlc failed (exit " + process.exitValue() + "): " + command + "\n" + output);
        }
        return new Compilation(outDir, output);
    }

    /** Compiles classpath resources (e.g. {@value #AGENT_RESOURCE}) into {@code outDir}. */
    public static Compilation compileResources(Path outDir, List<String> resources, String... erlcOptions) {
        Path sourceDir = Processes.tempDir("distgate-erl-src");
        List<Path> sources = resources.stream().map(resource -> copyResource(resource, sourceDir)).toList();
        return compile(outDir, sources, erlcOptions);
    }

    /** Copies a classpath resource into {@code dir}, keeping its file name. */
    public static Path copyResource(String resource, Path dir) {
        Path target = dir.resolve(Path.of(resource).getFileName());
        try (InputStream in = ErlangTools.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + resource + " not found");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("copying " + resource + " failed", e);
        }
    }

    /**
     * The ebin directory every local node (demo, tests) gets with {@code -pa}: the agent and the EPMD
     * module, compiled once per JVM.
     */
    public static synchronized Path harnessEbin() {
        if (harnessEbin == null) {
            Path ebin = Processes.tempDir("distgate-ebin");
            compileResources(ebin, List.of(AGENT_RESOURCE, EPMD_MODULE_RESOURCE), "+warnings_as_errors");
            harnessEbin = ebin;
        }
        return harnessEbin;
    }

    /** The tool on the PATH, if it is installed. */
    public static Optional<Path> locate(String tool) {
        try {
            return Optional.of(onPath(tool));
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    private static Path onPath(String tool) {
        return find(tool, Optional.ofNullable(System.getenv("PATH")).orElse(""));
    }

    /** Looks {@code tool} up in a PATH-style {@code searchPath}. */
    public static Path find(String tool, String searchPath) {
        return Stream.of(searchPath.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, tool))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "'" + tool + "' (Erlang/OTP) is not on PATH; install it with: " + INSTALL_COMMAND));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " failed", e);
        }
    }
}
