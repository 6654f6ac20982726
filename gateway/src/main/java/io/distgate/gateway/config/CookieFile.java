package io.distgate.gateway.config;

import io.distgate.bridge.dist.Cookie;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A cookie kept in a file, like {@code ~/.erlang.cookie}: it must be readable by its owner only
 * (Erlang refuses a cookie file others can read, and so does distgate).
 */
public final class CookieFile {

    private CookieFile() {
    }

    public static Cookie read(Path file, String key) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            for (PosixFilePermission p : perms) {
                if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                    throw new ConfigException(key, file + " is open to group or others (" + PosixFilePermissions.toString(perms)
                            + "); make it owner-only: chmod 400 " + file);
                }
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return Cookie.of(text);
        } catch (NoSuchFileException e) {
            throw new ConfigException(key, file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read " + file + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, file + ": " + e.getMessage());
        } catch (UnsupportedOperationException e) {
            throw new ConfigException(key, file + " is on a file system without POSIX permissions; use a cookie inline");
        }
    }
}
