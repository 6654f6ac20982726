package io.distgate.gateway.ssh;

import io.distgate.tls.SiteIdentity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * SSH key pairs for the links between gateways, in OpenSSH's file formats so that ssh-keygen,
 * ssh and sshd read what distgate writes and distgate reads what ssh-keygen writes.
 *
 * <p>Ed25519 needs no provider beyond the BouncyCastle that the gateway already carries: MINA
 * SSHD (since 2.15) implements EdDSA on BouncyCastle when {@code net.i2p.crypto:eddsa} is absent.
 */
public final class SshKeys {

    /** The authorized_keys login option that names the site a client key belongs to. */
    public static final String SITE_OPTION = "distgate-site";

    private static final Pattern HOST_PATTERN = Pattern.compile("[^\\s\\[\\]#]+");
    private static final int DEFAULT_SSH_PORT = 22;

    private SshKeys() {
    }

    public static KeyPair generate(SshKeyType type) {
        try {
            return KeyUtils.generateKeyPair(type.sshName(), type.bits());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an " + type.sshName() + " key: " + e.getMessage(), e);
        }
    }

    /** Where the public half of {@code privateKeyFile} goes: beside it, with {@code .pub} appended. */
    public static Path publicKeyFile(Path privateKeyFile) {
        return privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".pub");
    }

    /**
     * Writes {@code keys} as an unencrypted OpenSSH private key (mode 600 from creation) and a
     * one-line public key (mode 644) beside it. Neither file may exist yet.
     */
    public static void write(KeyPair keys, Path privateKeyFile, String comment) {
        Path publicFile = publicKeyFile(privateKeyFile);
        byte[] privateText = encode(privateKeyFile, out -> OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keys, comment, null, out));
        byte[] publicText = encode(publicFile, out -> OpenSSHKeyPairResourceWriter.INSTANCE.writePublicKey(keys, comment, out));
        KeyFiles.requireAbsent(privateKeyFile);
        KeyFiles.requireAbsent(publicFile);
        KeyFiles.createNew(privateKeyFile, privateText, KeyFiles.OWNER_READ_WRITE);
        try {
            KeyFiles.createNew(publicFile, publicText, KeyFiles.WORLD_READABLE);
        } catch (SshKeyException e) {
            // A private key without its public half is a trap for the next run, which refuses to overwrite it.
            KeyFiles.deleteQuietly(privateKeyFile);
            throw e;
        }
    }

    /**
     * Reads one unencrypted private key: OpenSSH format, or PEM (PKCS#1, SEC1, PKCS#8) ECDSA, RSA or Ed25519.
     * The file must be accessible by its owner only, as ssh(1) requires.
     */
    public static KeyPair loadPrivateKey(Path file) {
        byte[] content = KeyFiles.readPrivate(file);
        if (new String(content, StandardCharsets.US_ASCII).isBlank()) {
            throw new SshKeyException(file, "is empty");
        }
        List<KeyPair> pairs = new ArrayList<>();
        try (InputStream in = new ByteArrayInputStream(content)) {
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in, REFUSE_PASSPHRASE);
            if (loaded != null) {
                loaded.forEach(pairs::add);
            }
        } catch (PassphraseRequested e) {
            throw new SshKeyException(file, "is encrypted with a passphrase, which distgate does not support;"
                    + " keep the key unencrypted with mode 600 (ssh-keygen -p -N '' -f " + file + ")");
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new SshKeyException(file, "is not a valid OpenSSH or PEM private key: " + e.getMessage(), e);
        }
        if (pairs.isEmpty()) {
            throw new SshKeyException(file, "holds no private key (expected -----BEGIN OPENSSH PRIVATE KEY----- or a PEM private key)");
        }
        if (pairs.size() > 1) {
            throw new SshKeyException(file, "holds " + pairs.size() + " private keys; it must hold exactly one");
        }
        return pairs.get(0);
    }

    /** Reads a one-line OpenSSH public key file ({@code ssh-ed25519 AAAA... comment}). */
    public static PublicKey loadPublicKey(Path file) {
        String text = new String(KeyFiles.read(file), StandardCharsets.UTF_8).strip();
        try {
            AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(text);
            if (entry == null || text.contains("\n")) {
                throw new SshKeyException(file, "must hold exactly one public key line");
            }
            return entry.resolvePublicKey(null, entry.getLoginOptions(), PublicKeyEntryResolver.FAILING);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new SshKeyException(file, "is not an OpenSSH public key: " + e.getMessage(), e);
        }
    }

    /** {@code SHA256:...}, as ssh-keygen -l prints it. */
    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }

    /** A line for distgate's authorized_keys file: {@code distgate-site="<site>" ssh-ed25519 AAAA... distgate-site-<site>}. */
    public static String authorizedKeysLine(PublicKey key, String site) {
        checkSite(site);
        return SITE_OPTION + "=\"" + site + "\" " + PublicKeyEntry.toString(key) + " " + SITE_OPTION + "-" + site;
    }

    /**
     * A known_hosts line (sshd(8), SSH_KNOWN_HOSTS FILE FORMAT): the host alone on port 22,
     * {@code [host]:port} on any other port, because that is the name ssh looks the key up by.
     */
    public static String knownHostsLine(String hostPattern, int port, PublicKey hostKey) {
        if (hostPattern == null || !HOST_PATTERN.matcher(hostPattern).matches()) {
            throw new IllegalArgumentException("host pattern \"" + hostPattern + "\" must be non-empty, without spaces, brackets or #");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not in 1..65535");
        }
        String host = port == DEFAULT_SSH_PORT ? hostPattern : "[" + hostPattern + "]:" + port;
        return host + " " + PublicKeyEntry.toString(hostKey);
    }

    static String checkSite(String site) {
        if (!SiteIdentity.isValidSiteName(site)) {
            throw new IllegalArgumentException("site name \"" + site + "\" is not " + SiteIdentity.SITE_NAME_RULE);
        }
        return site;
    }

    /** The passphrase prompt, answered by refusing: MINA asks for it only when the key is encrypted. */
    private static final FilePasswordProvider REFUSE_PASSPHRASE = (session, resource, retryIndex) -> {
        throw new PassphraseRequested();
    };

    private static final class PassphraseRequested extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private interface Encoder {
        void writeTo(ByteArrayOutputStream out) throws IOException, GeneralSecurityException;
    }

    private static byte[] encode(Path file, Encoder encoder) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            encoder.writeTo(out);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new SshKeyException(file, "cannot encode the key: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
