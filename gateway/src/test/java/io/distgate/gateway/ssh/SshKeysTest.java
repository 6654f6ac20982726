package io.distgate.gateway.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.distgate.gateway.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class SshKeysTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SshKeyType.class)
    void writtenKeyPairReadsBackWithTheSamePublicKey(SshKeyType type) {
        KeyPair keys = SshKeys.generate(type);
        Path file = dir.resolve(type.clientKeyFileName("a"));

        SshKeys.write(keys, file, "distgate-site-a");

        KeyPair loaded = SshKeys.loadPrivateKey(file);
        assertThat(SshKeys.fingerprint(loaded.getPublic())).isEqualTo(SshKeys.fingerprint(keys.getPublic()));
        assertThat(SshKeys.fingerprint(SshKeys.loadPublicKey(SshKeys.publicKeyFile(file))))
                .isEqualTo(SshKeys.fingerprint(keys.getPublic()));
        assertThat(text(file)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        assertThat(text(SshKeys.publicKeyFile(file))).matches(type.sshName() + " AAAA\\S+ distgate-site-a\n?");
    }

    @Test
    void privateKeyIsOwnerOnlyAndPublicKeyWorldReadable() throws IOException {
        Path file = dir.resolve("a_ed25519");
        SshKeys.write(SshKeys.generate(SshKeyType.ED25519), file, "c");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(SshKeys.publicKeyFile(file)))).isEqualTo("rw-r--r--");
    }

    @Test
    void neverOverwritesAnExistingKey() throws IOException {
        Path file = dir.resolve("a_ed25519");
        SshKeys.write(SshKeys.generate(SshKeyType.ED25519), file, "first");
        String before = text(file);

        assertThatThrownBy(() -> SshKeys.write(SshKeys.generate(SshKeyType.ED25519), file, "second"))
                .isInstanceOf(SshKeyException.class)
                .hasMessageStartingWith(file + ": already exists");
        assertThat(text(file)).isEqualTo(before);
    }

    @Test
    void existingPublicKeyStopsTheWriteBeforeThePrivateKeyIsCreated() throws IOException {
        Path file = dir.resolve("a_ed25519");
        Files.writeString(SshKeys.publicKeyFile(file), "someone else's key\n");

        assertThatThrownBy(() -> SshKeys.write(SshKeys.generate(SshKeyType.ED25519), file, "c"))
                .hasMessageStartingWith(SshKeys.publicKeyFile(file) + ": already exists");
        assertThat(file).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----"})
    void refusesPrivateKeyAccessibleByGroupOrOthers(String mode) throws IOException {
        Path file = dir.resolve("a_ed25519");
        SshKeys.write(SshKeys.generate(SshKeyType.ED25519), file, "c");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));

        assertThatThrownBy(() -> SshKeys.loadPrivateKey(file))
                .isInstanceOf(SshKeyException.class)
                .hasMessageStartingWith(file + ": private key is accessible by group or others")
                .hasMessageContaining("chmod 600 " + file);
    }

    @Test
    void refusesEncryptedKeyMadeByMina() throws Exception {
        KeyPair keys = SshKeys.generate(SshKeyType.ED25519);
        OpenSSHKeyEncryptionContext encryption = new OpenSSHKeyEncryptionContext();
        encryption.setPassword("secret-pass");
        encryption.setCipherName("AES");
        encryption.setCipherType("256");
        encryption.setCipherMode("CTR");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keys, "c", encryption, out);
        Path file = ownerOnly(dir.resolve("encrypted"), out.toByteArray());

        assertThatThrownBy(() -> SshKeys.loadPrivateKey(file))
                .hasMessageStartingWith(file + ": is encrypted with a passphrase, which distgate does not support");
    }

    @Test
    void refusesMissingFile() {
        Path file = dir.resolve("absent");
        assertThatThrownBy(() -> SshKeys.loadPrivateKey(file)).hasMessage(file + ": does not exist");
    }

    @Test
    void refusesDirectory() {
        assertThatThrownBy(() -> SshKeys.loadPrivateKey(dir)).hasMessage(dir + ": is not a regular file");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not a key\n",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAbbbb\n-----END OPENSSH PRIVATE KEY-----\n",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO8nsO+Oyr9LrVNglWZYL4b5bEKwm46mDWT/CJ3QLnRs public-key-in-the-wrong-file\n"})
    void refusesMalformedPrivateKeyFile(String content) throws IOException {
        Path file = ownerOnly(dir.resolve("malformed"), content.getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> SshKeys.loadPrivateKey(file))
                .isInstanceOf(SshKeyException.class)
                .hasMessageStartingWith(file + ": ");
    }

    @Test
    void readsPkcs8PemPrivateKey() throws IOException {
        KeyPair keys = SshKeys.generate(SshKeyType.ECDSA);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path file = ownerOnly(dir.resolve("key.pem"), pem.getBytes(StandardCharsets.US_ASCII));

        assertThat(SshKeys.fingerprint(SshKeys.loadPrivateKey(file).getPublic())).isEqualTo(SshKeys.fingerprint(keys.getPublic()));
    }

    @Test
    void authorizedKeysLineNamesTheSiteInAnOptionAndTheComment() {
        KeyPair keys = SshKeys.generate(SshKeyType.ED25519);

        assertThat(SshKeys.authorizedKeysLine(keys.getPublic(), "site-b"))
                .matches("distgate-site=\"site-b\" ssh-ed25519 AAAA[A-Za-z0-9+/=]+ distgate-site-site-b");
        assertThatThrownBy(() -> SshKeys.authorizedKeysLine(keys.getPublic(), "B\" no-pty"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void knownHostsLineBracketsTheHostOnlyOffPort22() {
        KeyPair keys = SshKeys.generate(SshKeyType.ED25519);
        String key = SshKeys.authorizedKeysLine(keys.getPublic(), "a").split(" ")[2];

        assertThat(SshKeys.knownHostsLine("gw.example", 22, keys.getPublic())).isEqualTo("gw.example ssh-ed25519 " + key);
        assertThat(SshKeys.knownHostsLine("127.0.0.1", 2222, keys.getPublic())).isEqualTo("[127.0.0.1]:2222 ssh-ed25519 " + key);
        assertThatThrownBy(() -> SshKeys.knownHostsLine("a b", 22, keys.getPublic())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SshKeys.knownHostsLine("h", 0, keys.getPublic())).isInstanceOf(IllegalArgumentException.class);
    }

    @Nested
    class AuthorizedKeysFile {

        private final KeyPair a = SshKeys.generate(SshKeyType.ED25519);
        private final KeyPair b = SshKeys.generate(SshKeyType.ECDSA);

        @Test
        void mapsEachKeyToItsSite() throws IOException {
            Path file = lines("# distgate peers",
                    SshKeys.authorizedKeysLine(a.getPublic(), "a"),
                    "",
                    "no-pty," + SshKeys.authorizedKeysLine(b.getPublic(), "b").replace("\" ", "\",permitopen=\"127.0.0.1:4369\" "));

            AuthorizedSites sites = AuthorizedSites.read(file);

            assertThat(sites.siteOf(a.getPublic())).contains("a");
            assertThat(sites.siteOf(b.getPublic())).contains("b");
            assertThat(sites.siteOf(SshKeys.generate(SshKeyType.ED25519).getPublic())).isEmpty();
            assertThat(sites.byFingerprint()).containsOnlyKeys(SshKeys.fingerprint(a.getPublic()), SshKeys.fingerprint(b.getPublic()));
        }

        @Test
        void minaKeepsOptionsItDoesNotKnow() {
            String line = "no-pty,distgate-site=\"b\",permitopen=\"127.0.0.1:4369\" " + SshKeys.authorizedKeysLine(a.getPublic(), "x").split(" ", 2)[1];

            AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line);

            assertThat(entry.getLoginOptions())
                    .containsEntry("distgate-site", "b")
                    .containsEntry("permitopen", "127.0.0.1:4369")
                    .containsKey("no-pty");
        }

        @Test
        void lineWithoutSiteOptionNamesFileAndLine() throws IOException {
            String plain = SshKeys.authorizedKeysLine(b.getPublic(), "b").split(" ", 2)[1];
            Path file = lines(SshKeys.authorizedKeysLine(a.getPublic(), "a"), "# comment", plain);

            assertThatThrownBy(() -> AuthorizedSites.read(file))
                    .isInstanceOf(SshKeyException.class)
                    .hasMessageStartingWith(file + ":3: has no distgate-site=\"<site>\" option");
        }

        @Test
        void sameKeyForTwoSitesIsRefused() throws IOException {
            Path file = lines(SshKeys.authorizedKeysLine(a.getPublic(), "a"), SshKeys.authorizedKeysLine(a.getPublic(), "b"));

            assertThatThrownBy(() -> AuthorizedSites.read(file))
                    .hasMessageStartingWith(file + ":2: key " + SshKeys.fingerprint(a.getPublic()))
                    .hasMessageContaining("site \"b\" here and to site \"a\" on line 1");
        }

        @Test
        void sameKeyListedTwiceForOneSiteIsAccepted() throws IOException {
            Path file = lines(SshKeys.authorizedKeysLine(a.getPublic(), "a"), SshKeys.authorizedKeysLine(a.getPublic(), "a"));

            assertThat(AuthorizedSites.read(file).siteOf(a.getPublic())).contains("a");
        }

        @Test
        void siteOptionGivenTwiceIsRefused() throws IOException {
            Path file = lines("distgate-site=\"b\"," + SshKeys.authorizedKeysLine(a.getPublic(), "a"));

            assertThatThrownBy(() -> AuthorizedSites.read(file)).hasMessageStartingWith(file + ":1: distgate-site is given more than once");
        }

        @Test
        void garbledKeyNamesFileAndLine() throws IOException {
            Path file = lines("distgate-site=\"a\" ssh-ed25519 AAAAnotbase64!!");

            assertThatThrownBy(() -> AuthorizedSites.read(file)).hasMessageStartingWith(file + ":1: is not an authorized_keys entry");
        }

        private Path lines(String... lines) throws IOException {
            return Files.write(dir.resolve("authorized_keys"), List.of(lines));
        }
    }

    @Nested
    class Command {

        @Test
        void clientKeyCommandWritesKeyAndPrintsAuthorizedKeysLine() {
            Result result = run("ssh-keys", "--out", dir.toString(), "--site", "b");

            assertThat(result.code()).as(result.err()).isZero();
            Path key = dir.resolve("b_ed25519");
            assertThat(SshKeys.loadPrivateKey(key)).isNotNull();
            String line = SshKeys.authorizedKeysLine(SshKeys.loadPublicKey(SshKeys.publicKeyFile(key)), "b");
            assertThat(result.out()).contains(line + "\n").contains("authorized_keys");
        }

        @Test
        void hostKeyCommandPrintsKnownHostsLine() {
            Result result = run("ssh-keys", "--out", dir.toString(), "--site", "a", "--type", "ecdsa", "--host-key",
                    "--host", "gw-a.example", "--port", "2222");

            assertThat(result.code()).as(result.err()).isZero();
            Path key = dir.resolve("ssh_host_ecdsa_key");
            String line = SshKeys.knownHostsLine("gw-a.example", 2222, SshKeys.loadPrivateKey(key).getPublic());
            assertThat(result.out()).contains(line + "\n").contains("known_hosts");
        }

        @Test
        void hostKeyCommandWithoutHostAndPortFails() {
            Result result = run("ssh-keys", "--out", dir.toString(), "--site", "a", "--host-key");

            assertThat(result.code()).isEqualTo(2);
            assertThat(result.err()).contains("--host-key needs --host and --port");
            assertThat(dir.resolve("ssh_host_ed25519_key")).doesNotExist();
        }

        private Result run(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                    .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
            return new Result(code, out.toString(), err.toString());
        }
    }

    private record Result(int code, String out, String err) {
    }

    /** Against OpenSSH's own ssh-keygen: what it writes we read, and what we write it reads. */
    @Nested
    class OpenSshInterop {

        @ParameterizedTest
        @EnumSource(SshKeyType.class)
        void sshKeygenReadsWrittenKeys(SshKeyType type) throws IOException {
            KeyPair keys = SshKeys.generate(type);
            Path file = dir.resolve(type.clientKeyFileName("a"));
            SshKeys.write(keys, file, "distgate-site-a");
            String fingerprint = SshKeys.fingerprint(keys.getPublic());
            // ssh-keygen -l prefers a .pub beside a private key; a lone copy makes it parse the private key itself.
            Path lone = Files.createDirectory(dir.resolve("lone")).resolve("key");
            Files.copy(file, lone, StandardCopyOption.COPY_ATTRIBUTES);

            assertThat(sshKeygen("-l", "-f", SshKeys.publicKeyFile(file).toString())).contains(fingerprint);
            assertThat(sshKeygen("-l", "-f", lone.toString())).contains(fingerprint);
            String[] written = text(SshKeys.publicKeyFile(file)).split(" ");
            assertThat(sshKeygen("-y", "-f", lone.toString())).startsWith(written[0] + " " + written[1]);
        }

        @ParameterizedTest
        @ValueSource(strings = {"ed25519", "ecdsa", "ecdsa -m PEM", "rsa -b 2048 -m PEM", "ecdsa -m PKCS8"})
        void loadsKeysMadeBySshKeygen(String typeAndFormat) {
            Path file = dir.resolve("id");
            List<String> args = new ArrayList<>(List.of("-q", "-N", "", "-C", "made-by-ssh-keygen", "-f", file.toString(), "-t"));
            args.addAll(List.of(typeAndFormat.split(" ")));
            sshKeygen(args.toArray(String[]::new));

            KeyPair loaded = SshKeys.loadPrivateKey(file);

            assertThat(sshKeygen("-l", "-f", SshKeys.publicKeyFile(file).toString())).contains(SshKeys.fingerprint(loaded.getPublic()));
        }

        @Test
        void refusesEncryptedKeyMadeBySshKeygen() {
            Path file = dir.resolve("id_encrypted");
            sshKeygen("-q", "-t", "ed25519", "-N", "pass-phrase", "-f", file.toString());

            assertThatThrownBy(() -> SshKeys.loadPrivateKey(file)).hasMessageStartingWith(file + ": is encrypted");
        }

        @Test
        void sshKeygenFindsHostInKnownHostsLine() throws IOException {
            KeyPair keys = SshKeys.generate(SshKeyType.ED25519);
            Path knownHosts = Files.writeString(dir.resolve("known_hosts"), SshKeys.knownHostsLine("127.0.0.1", 2222, keys.getPublic()) + "\n");

            assertThat(sshKeygen("-F", "[127.0.0.1]:2222", "-f", knownHosts.toString())).contains("[127.0.0.1]:2222 ssh-ed25519");
        }
    }

    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    private static final long TOOL_TIMEOUT_SECONDS = 60;

    /** Runs ssh-keygen under a deadline; fails (never skips) when OpenSSH is not installed. */
    private String sshKeygen(String... args) {
        if (!Files.isExecutable(SSH_KEYGEN)) {
            fail(SSH_KEYGEN + " not found: the OpenSSH interop tests need it; run apt-get install -y openssh-client openssh-server");
        }
        List<String> command = new ArrayList<>(List.of(SSH_KEYGEN.toString()));
        command.addAll(List.of(args));
        try {
            // Output goes to a file, not a pipe, so a hung ssh-keygen cannot block the reader past the deadline.
            Path output = Files.createTempFile(dir, "ssh-keygen", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(command + " did not finish in " + TOOL_TIMEOUT_SECONDS + " s");
            }
            String text = Files.readString(output);
            assertThat(process.exitValue()).as(command + " output:\n" + text).isZero();
            return text;
        } catch (IOException e) {
            throw new AssertionError(command + " could not run: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    private static Path ownerOnly(Path file, byte[] content) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.write(file, content);
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
