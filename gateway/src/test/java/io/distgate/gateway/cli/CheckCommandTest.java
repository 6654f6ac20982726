package io.distgate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distgate check}: exit code, effective settings on stdout with secrets masked,
 * {@code distgate: key: problem} on stderr.
 */
class CheckCommandTest {

    private static final String SECRET = "inline-S3cret-cookie";
    private static final String FILE_SECRET = "file-S3cret-cookie";

    @TempDir
    Path dir;

    @Test
    void validFileExitsZeroAndPrintsEffectiveSettingsWithTheCookieMasked() throws IOException {
        Path config = write("""
                sites:
                  - name: dc1
                    cookie: %s
                    nodes: ["app*"]
                    name_service: {listen: "127.0.0.1:4370"}
                """.formatted(SECRET));

        Run run = check(config);

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).doesNotContain(SECRET);
        assertThat(run.out().lines()).containsExactly(
                "# " + config + ": valid. Effective settings (secrets masked):",
                "sites:",
                "  - name: dc1",
                "    cookie: \"****\"",
                "    node_names: shortnames",
                "    nodes: [app*]",
                "    epmd_port: 4369",
                "    net_ticktime: 1m",
                "    net_setuptime: 7s",
                "    visibility: hidden",
                "    name_service:",
                "      listen: 127.0.0.1:4370",
                "    proxy:",
                "      idle_timeout: 10m",
                "metrics:",
                "  listen: 127.0.0.1:9464");
    }

    @Test
    void validFileWithCookieFileShowsThePathNeverTheCookie() throws IOException {
        Path cookieFile = cookieFile("r--------");
        Path config = write("""
                sites:
                  - name: dc1
                    cookie_file: '%s'
                    node_names: longnames
                    nodes: ["app*@*.dc1.example.com"]
                    net_ticktime: 2m
                    name_service: {listen: "127.0.0.1:4370"}
                metrics:
                  listen: none
                """.formatted(cookieFile));

        Run run = check(config);

        assertThat(run.exit()).isZero();
        assertThat(run.out()).doesNotContain(FILE_SECRET)
                .contains("    cookie_file: " + cookieFile + System.lineSeparator())
                .contains("    node_names: longnames" + System.lineSeparator())
                .contains("    net_ticktime: 2m" + System.lineSeparator())
                .contains("metrics:" + System.lineSeparator() + "  listen: none" + System.lineSeparator());
    }

    @Test
    void invalidFileExitsNonZeroAndNamesTheKeyOnStderr() throws IOException {
        Path config = write("""
                sites:
                  - name: dc1
                    cookie: %s
                    nodes: ["app*"]
                    name_service: {listen: "127.0.0.1:4370"}
                  - name: dc2
                    cookie: %s
                    nodes: ["db*"]
                    epmd_port: 70000
                    name_service: {listen: "127.0.0.1:4371"}
                """.formatted(SECRET, SECRET));

        Run run = check(config);

        assertThat(run.exit()).isNotZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).containsExactly("distgate: sites[1].epmd_port: 70000 is outside 1..65535");
    }

    @Test
    void unknownKeyIsReportedWithItsPathAndWithoutTheCookie() throws IOException {
        Path config = write("""
                sites:
                  - name: dc1
                    cokie: %s
                    nodes: ["app*"]
                    name_service: {listen: "127.0.0.1:4370"}
                """.formatted(SECRET));

        Run run = check(config);

        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).startsWith("distgate: sites[0].cokie: unknown key (known here: [").doesNotContain(SECRET);
    }

    @Test
    void cookieFileReadableByOthersFailsNamingTheFileAndTheFix() throws IOException {
        Path cookieFile = cookieFile("rw-r--r--");
        Path config = write("""
                sites:
                  - name: dc1
                    cookie_file: '%s'
                    nodes: ["app*"]
                    name_service: {listen: "127.0.0.1:4370"}
                """.formatted(cookieFile));

        Run run = check(config);

        assertThat(run.exit()).isNotZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("distgate: sites[0].cookie_file: " + cookieFile + " ")
                .contains("chmod 400 " + cookieFile)
                .doesNotContain(FILE_SECRET);
    }

    @Test
    void missingConfigurationFileIsAClearError() {
        Path missing = dir.resolve("missing.yaml");

        Run run = check(missing);

        assertThat(run.exit()).isNotZero();
        assertThat(run.err().lines()).containsExactly("distgate: configuration file " + missing + " does not exist");
    }

    @Test
    void invalidYamlIsAClearError() throws IOException {
        Path config = write("sites:\n\t- name: dc1\n");

        Run run = check(config);

        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).startsWith("distgate: not valid YAML at line 2, column 1: ");
    }

    @Test
    void missingConfigOptionIsAUsageError() {
        Run run = run("check");

        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("--config");
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run check(Path config) {
        return run("check", "--config", config.toString());
    }

    /** Runs {@link Main#execute} as the distgate script does, with System.out and System.err captured. */
    private static Run run(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.execute(args);
            System.out.flush();
            System.err.flush();
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("distgate.yaml"), yaml);
    }

    private Path cookieFile(String mode) throws IOException {
        Path file = Files.createTempFile(dir, "cookie", "");
        Files.writeString(file, FILE_SECRET + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }
}
