package io.distgate.gateway.ssh;

import java.nio.file.Path;

/**
 * An SSH key file, authorized_keys file or key the gateway cannot use. The message starts with
 * the file it is about (and the line, for authorized_keys), so one log line says what to fix.
 */
public final class SshKeyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SshKeyException(Path file, String problem) {
        this(file.toString(), problem, null);
    }

    public SshKeyException(Path file, String problem, Throwable cause) {
        this(file.toString(), problem, cause);
    }

    private SshKeyException(String location, String problem, Throwable cause) {
        super(location + ": " + problem, cause);
    }

    /** A problem on one line of a file, located as compilers do: {@code file:line: problem}. */
    static SshKeyException atLine(Path file, int line, String problem, Throwable cause) {
        return new SshKeyException(file + ":" + line, problem, cause);
    }
}
