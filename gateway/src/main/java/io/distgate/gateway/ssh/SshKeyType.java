package io.distgate.gateway.ssh;

import org.apache.sshd.common.keyprovider.KeyPairProvider;

/** The key types distgate generates, with OpenSSH's names for their files. */
public enum SshKeyType {
    /** The default: short keys, deterministic signatures, what OpenSSH itself prefers. */
    ED25519(KeyPairProvider.SSH_ED25519, 256, "ed25519"),
    /** NIST P-256, for sites whose policy allows only FIPS curves. */
    ECDSA(KeyPairProvider.ECDSA_SHA2_NISTP256, 256, "ecdsa");

    private final String sshName;
    private final int bits;
    private final String fileTag;

    SshKeyType(String sshName, int bits, String fileTag) {
        this.sshName = sshName;
        this.bits = bits;
        this.fileTag = fileTag;
    }

    /** The key type as SSH names it on the wire and in key files, e.g. {@code ssh-ed25519}. */
    public String sshName() {
        return sshName;
    }

    int bits() {
        return bits;
    }

    /** A site's client key, named like ssh-keygen's {@code id_ed25519}: {@code <site>_ed25519}. */
    public String clientKeyFileName(String site) {
        return SshKeys.checkSite(site) + "_" + fileTag;
    }

    /** A gateway's host key, named as sshd names its own: {@code ssh_host_ed25519_key}. */
    public String hostKeyFileName() {
        return "ssh_host_" + fileTag + "_key";
    }
}
