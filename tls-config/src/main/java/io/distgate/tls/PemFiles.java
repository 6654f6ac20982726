package io.distgate.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM files into certificates and keys. Each problem becomes a {@link TlsConfigException}
 * naming the file and what is wrong with it, in the operator's terms (missing, unreadable, empty,
 * not PEM, wrong content), because a TLS setup mistake is found at start from one log line.
 *
 * <p>Conversion uses the JDK's own {@code CertificateFactory} and {@code KeyFactory}: BouncyCastle
 * only parses, it is never registered as a JCA provider, so the TLS engines see plain JDK objects.
 */
final class PemFiles {

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PemFiles() {
    }

    /** All certificates in {@code file}, in file order; at least one. */
    static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> certificates = new ArrayList<>();
        List<String> others = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object object : objects(file)) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new TlsConfigException(file, "holds a certificate that cannot be decoded: " + e.getMessage(), e);
                }
            } else {
                others.add(describe(object));
            }
        }
        if (certificates.isEmpty()) {
            throw new TlsConfigException(file, "holds no certificate (found " + String.join(", ", others) + ")");
        }
        return certificates;
    }

    /**
     * The one private key in {@code file}. The file must be for its owner only, as ssh requires
     * of its keys: a key others can read is a key others may have copied.
     */
    static PrivateKey privateKey(Path file) {
        requireOwnerOnly(file);
        List<Object> objects = objects(file);
        List<PrivateKey> keys = new ArrayList<>();
        List<String> others = new ArrayList<>();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object object : objects) {
            try {
                if (object instanceof PrivateKeyInfo info) {
                    keys.add(converter.getPrivateKey(info));
                } else if (object instanceof PEMKeyPair pair) {
                    // Only the private half: a SEC1 key may omit its public key, and the pair conversion needs it.
                    keys.add(converter.getPrivateKey(pair.getPrivateKeyInfo()));
                } else if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
                    throw new TlsConfigException(file, "the private key is encrypted, which distgate does not support"
                            + " (it would need the passphrase at every start); store it unencrypted with mode 600,"
                            + " for example: openssl pkey -in " + file + " -out " + file + ".plain");
                } else {
                    others.add(describe(object));
                }
            } catch (IOException e) {
                throw new TlsConfigException(file, "holds a private key that cannot be decoded: " + e.getMessage(), e);
            }
        }
        if (keys.isEmpty()) {
            throw new TlsConfigException(file, "holds no private key (found " + String.join(", ", others) + ")");
        }
        if (keys.size() > 1) {
            throw new TlsConfigException(file, "holds " + keys.size() + " private keys; it must hold exactly one");
        }
        return keys.get(0);
    }

    private static void requireOwnerOnly(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: there are no mode bits to check
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        Set<PosixFilePermission> exposed = EnumSet.noneOf(PosixFilePermission.class);
        exposed.addAll(permissions);
        exposed.retainAll(GROUP_OR_OTHERS);
        if (!exposed.isEmpty()) {
            throw new TlsConfigException(file, "private key is accessible by group or others (mode "
                    + PosixFilePermissions.toString(permissions)
                    + "); restrict it to its owner: chmod 600 " + file);
        }
    }

    /** Every PEM object in {@code file}, at least one. */
    private static List<Object> objects(Path file) {
        String text = read(file);
        if (text.isBlank()) {
            throw new TlsConfigException(file, "is empty");
        }
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsConfigException(file, "is not valid PEM: " + e.getMessage(), e);
        }
        if (objects.isEmpty()) {
            throw new TlsConfigException(file, "is not PEM: no '-----BEGIN ...-----' line"
                    + " (a DER file converts with: openssl x509 -inform der -in " + file + ")");
        }
        return objects;
    }

    private static String read(Path file) {
        if (Files.isDirectory(file)) {
            throw new TlsConfigException(file, "is a directory, not a file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsConfigException(file, "does not exist", e);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        try {
            return StandardCharsets.US_ASCII.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            // PEM is ASCII by definition (RFC 7468 §2); binary content is most likely DER.
            throw new TlsConfigException(file, "is not PEM: it holds non-ASCII bytes"
                    + " (a DER file converts with: openssl x509 -inform der -in " + file + ")", e);
        }
    }

    private static TlsConfigException unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new TlsConfigException(file, "does not exist", e);
        }
        if (e instanceof AccessDeniedException) {
            return new TlsConfigException(file, "cannot be read: permission denied for this user", e);
        }
        return new TlsConfigException(file, "cannot be read: " + e, e);
    }

    private static String describe(Object pemObject) {
        if (pemObject instanceof X509CertificateHolder) {
            return "a certificate";
        }
        if (pemObject instanceof PrivateKeyInfo || pemObject instanceof PEMKeyPair) {
            return "a private key";
        }
        if (pemObject instanceof PKCS8EncryptedPrivateKeyInfo || pemObject instanceof PEMEncryptedKeyPair) {
            return "an encrypted private key";
        }
        if (pemObject instanceof SubjectPublicKeyInfo) {
            return "a public key";
        }
        if (pemObject instanceof PKCS10CertificationRequest) {
            return "a certificate signing request";
        }
        return "a " + pemObject.getClass().getSimpleName();
    }
}
