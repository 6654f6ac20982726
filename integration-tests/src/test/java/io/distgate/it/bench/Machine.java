package io.distgate.it.bench;

import io.distgate.gateway.local.ErlangNode;
import io.netty.handler.ssl.OpenSsl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The machine and the versions of everything on the paths, for the results' header. */
final class Machine {

    private Machine() {
    }

    static Map<String, Object> describe(ErlangNode anyNode) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        m.put("cpu", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory_gb", memoryGb());
        m.put("kernel", firstLine(command("uname", "-r")));
        m.put("os", osName());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("otp", anyNode.eval("erlang:system_info(otp_release)").replace("\"", "")
                + " (erts " + anyNode.eval("erlang:system_info(version)").replace("\"", "") + ")");
        m.put("otp_crypto", anyNode.eval("element(3, hd(crypto:info_lib()))")
                .replace("<<\"", "").replace("\">>", ""));
        m.put("openssl", firstLine(command("openssl", "version")));
        m.put("netty_tcnative", OpenSsl.isAvailable() ? OpenSsl.versionString() : "unavailable");
        m.put("netty", io.netty.util.Version.identify().values().stream().findFirst()
                .map(v -> v.artifactVersion()).orElse("?"));
        m.put("openssh", firstLine(command("ssh", "-V")));
        m.put("stunnel", command(StunnelPair.STUNNEL.toString(), "-version").lines()
                .filter(line -> line.contains("stunnel ")).findFirst().orElse("?").replaceAll(".*(stunnel \\S+).*", "$1"));
        return m;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .findFirst().map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String memoryGb() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(line -> line.startsWith("MemTotal:"))
                    .findFirst().map(line -> String.format(java.util.Locale.ROOT, "%.1f",
                            Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0 / 1024.0)).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String osName() {
        try {
            return Files.readAllLines(Path.of("/etc/os-release")).stream().filter(line -> line.startsWith("PRETTY_NAME="))
                    .findFirst().map(line -> line.substring(13).replace("\"", "")).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("?");
    }

    /** A command's output (stdout and stderr together), or "?" when it cannot run. */
    static String command(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return out.isEmpty() ? "?" : out;
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
