package io.distgate.gateway.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's resident memory from Linux's {@code /proc}. */
public final class ProcStatus {

    private ProcStatus() {
    }

    public static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
            throw new IllegalStateException("/proc/" + pid + "/status has no VmRSS line");
        } catch (IOException e) {
            throw new UncheckedIOException("reading /proc/" + pid + "/status failed", e);
        }
    }
}
