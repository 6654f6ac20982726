package io.distgate.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * Writes certificates and keys as PEM (RFC 7468). Files are created new, never overwritten:
 * replacing a CA key by accident would orphan every certificate it issued. Keys are created with
 * mode 600 from the start, so there is no moment in which others could read them.
 */
final class PemOutput {

    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private PemOutput() {
    }

    static void writeCertificate(Path file, X509Certificate certificate) {
        try {
            write(file, pem("CERTIFICATE", certificate.getEncoded()), false);
        } catch (CertificateEncodingException e) {
            throw new TlsConfigException(file, "cannot encode certificate: " + e.getMessage(), e);
        }
    }

    /** PKCS#8 ("PRIVATE KEY"), the form every TLS library reads. */
    static void writePrivateKey(Path file, PrivateKey key) {
        write(file, pem("PRIVATE KEY", key.getEncoded()), true);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + BASE64.encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static void write(Path file, String text, boolean ownerOnly) {
        FileAttribute<?>[] attributes = ownerOnly && supportsPosix(file)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        try {
            Files.createFile(file, attributes);
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(text.getBytes(StandardCharsets.US_ASCII));
            }
        } catch (FileAlreadyExistsException e) {
            throw new TlsConfigException(file, "already exists; certificates and keys are never overwritten: move it away first", e);
        } catch (IOException e) {
            throw new TlsConfigException(file, "cannot be written: " + e, e);
        }
    }

    private static boolean supportsPosix(Path file) {
        Path directory = file.toAbsolutePath().getParent();
        return directory != null && directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
