package io.distgate.tls;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A certificate issued by a {@link DevCa} with its private key. {@link #toString} never shows the key.
 *
 * @param name the file base name: the site for site certificates
 */
public record IssuedCertificate(String name, X509Certificate certificate, PrivateKey privateKey) {

    /** The certificate file {@link #writeTo} writes. */
    public Path certificateFile(Path directory) {
        return directory.resolve(name + ".crt");
    }

    /** The key file {@link #writeTo} writes. */
    public Path keyFile(Path directory) {
        return directory.resolve(name + ".key");
    }

    /** Writes {@code <name>.crt} and {@code <name>.key} (mode 600) into {@code directory}; never overwrites. */
    public void writeTo(Path directory) {
        PemOutput.writePrivateKey(keyFile(directory), privateKey);
        PemOutput.writeCertificate(certificateFile(directory), certificate);
    }

    @Override
    public String toString() {
        return "IssuedCertificate[" + name + ", '" + certificate.getSubjectX500Principal().getName()
                + "', notAfter=" + certificate.getNotAfter().toInstant() + ", privateKey=****]";
    }
}
