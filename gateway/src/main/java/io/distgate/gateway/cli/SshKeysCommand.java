package io.distgate.gateway.cli;

import io.distgate.gateway.ssh.SshKeyType;
import io.distgate.gateway.ssh.SshKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code distgate ssh-keys}: a site's SSH client key, or a gateway's SSH host key, in OpenSSH formats. */
@Command(name = "ssh-keys", description = "Make an SSH client key for a site (or, with --host-key, a gateway host key) in OpenSSH formats.")
final class SshKeysCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "directory for the private key and its .pub")
    Path out;

    @Option(names = "--site", required = true, description = "the site the key belongs to")
    String site;

    @Option(names = "--type", defaultValue = "ed25519", description = "key type: ed25519 (default) or ecdsa (NIST P-256)")
    SshKeyType type;

    @Option(names = "--host-key", description = "make the gateway's host key (ssh_host_<type>_key) instead of a client key")
    boolean hostKey;

    @Option(names = "--host", description = "with --host-key: the name or address peers connect to")
    String host;

    @Option(names = "--port", description = "with --host-key: the port peers connect to")
    Integer port;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        Files.createDirectories(out);
        Path privateFile = out.resolve(hostKey ? type.hostKeyFileName() : type.clientKeyFileName(site));
        KeyPair keys = SshKeys.generate(type);
        SshKeys.write(keys, privateFile, (hostKey ? "distgate-host-" : SshKeys.SITE_OPTION + "-") + site);
        var console = spec.commandLine().getOut();
        console.println("wrote " + privateFile + " (mode 600) and " + SshKeys.publicKeyFile(privateFile)
                + " (" + SshKeys.fingerprint(keys.getPublic()) + ")");
        if (hostKey) {
            console.println(SshKeys.knownHostsLine(host, port, keys.getPublic()));
            console.println("Put " + privateFile.getFileName() + " on the gateway of site " + site + " as its SSH host key.");
            console.println("Add the line above to the known_hosts file of every gateway that connects to " + host + ":" + port + ".");
        } else {
            console.println(SshKeys.authorizedKeysLine(keys.getPublic(), site));
            console.println("Put " + privateFile.getFileName() + " on the gateway of site " + site + " as its SSH client key.");
            console.println("Add the line above to the distgate authorized_keys file of every gateway that site " + site + " connects to.");
        }
        return 0;
    }

    private void checkOptions() {
        if (hostKey && (host == null || port == null)) {
            throw new ParameterException(spec.commandLine(), "--host-key needs --host and --port (for the known_hosts line)");
        }
        if (!hostKey && (host != null || port != null)) {
            throw new ParameterException(spec.commandLine(), "--host and --port go with --host-key");
        }
    }
}
