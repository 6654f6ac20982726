package io.distgate.tls;

import java.nio.file.Path;

/**
 * A TLS file or setting the gateway cannot start with. The message starts with the file it is
 * about, so an operator reading one log line knows which file to fix.
 */
public final class TlsConfigException extends RuntimeException {

    public TlsConfigException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public TlsConfigException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
