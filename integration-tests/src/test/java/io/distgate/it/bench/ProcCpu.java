package io.distgate.it.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * CPU time of a set of processes from Linux's {@code /proc/PID/stat}: user plus system time of
 * every thread (utime + stime, fields 14 and 15), for each root process and every descendant
 * alive now (a node's erl_child_setup, sshd's per-connection processes).
 */
final class ProcCpu {

    /** Clock ticks per second of the stat fields ({@code getconf CLK_TCK}; 100 on Linux x86_64). */
    static final long TICKS_PER_SECOND = clockTicks();

    private ProcCpu() {
    }

    /** CPU seconds used so far by {@code roots} and their descendants. */
    static double seconds(List<Long> roots) {
        Set<Long> pids = new LinkedHashSet<>();
        for (long root : roots) {
            pids.add(root);
            ProcessHandle.of(root).ifPresent(handle -> handle.descendants().forEach(child -> pids.add(child.pid())));
        }
        long ticks = 0;
        for (long pid : pids) {
            ticks += ticks(pid);
        }
        return (double) ticks / TICKS_PER_SECOND;
    }

    /** utime + stime of one process, 0 if it is gone. The command name may hold spaces: fields count from its ')'. */
    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime field 15.
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor(10, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
