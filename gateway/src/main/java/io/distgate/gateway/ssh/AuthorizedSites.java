package io.distgate.gateway.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * distgate's authorized_keys file: OpenSSH's format (sshd(8), AUTHORIZED_KEYS FILE FORMAT), where
 * every key carries the login option {@code distgate-site="<site>"} naming the peer site it logs in as.
 * Keys are matched by SHA-256 fingerprint, which, unlike {@code PublicKey.equals}, does not depend on
 * which provider decoded the key.
 */
public final class AuthorizedSites {

    /** One key and the site it belongs to, with the line it came from for messages. */
    public record Entry(PublicKey key, String site, int line) {
    }

    private final Map<String, Entry> byFingerprint;

    private AuthorizedSites(Map<String, Entry> byFingerprint) {
        this.byFingerprint = Collections.unmodifiableMap(byFingerprint);
    }

    public static AuthorizedSites read(Path file) {
        String text = new String(KeyFiles.read(file), StandardCharsets.UTF_8);
        Map<String, Entry> entries = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int index = 0; index < lines.length; index++) {
            int lineNumber = index + 1;
            Entry entry = parseLine(file, lineNumber, lines[index]);
            if (entry == null) {
                continue;
            }
            String fingerprint = SshKeys.fingerprint(entry.key());
            Entry earlier = entries.putIfAbsent(fingerprint, entry);
            if (earlier != null && !earlier.site().equals(entry.site())) {
                throw SshKeyException.atLine(file, lineNumber, "key " + fingerprint + " is mapped to site \"" + entry.site()
                        + "\" here and to site \"" + earlier.site() + "\" on line " + earlier.line()
                        + "; a key belongs to one site", null);
            }
        }
        return new AuthorizedSites(entries);
    }

    /** The site whose key this is, if the file lists it. */
    public Optional<String> siteOf(PublicKey key) {
        return Optional.ofNullable(byFingerprint.get(SshKeys.fingerprint(key))).map(Entry::site);
    }

    /** Every listed key by its {@code SHA256:...} fingerprint, in file order. */
    public Map<String, Entry> byFingerprint() {
        return byFingerprint;
    }

    /** The entry on one line, or null for a blank or comment line. */
    private static Entry parseLine(Path file, int lineNumber, String line) {
        AuthorizedKeyEntry parsed;
        PublicKey key;
        try {
            parsed = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line.strip());
            if (parsed == null) {
                return null;
            }
            key = parsed.resolvePublicKey(null, parsed.getLoginOptions(), PublicKeyEntryResolver.FAILING);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw SshKeyException.atLine(file, lineNumber, "is not an authorized_keys entry: " + e.getMessage(), e);
        }
        // MINA keeps options it does not know in the login options, values unquoted; an option given
        // twice comes back comma-joined.
        String site = parsed.getLoginOptions().get(SshKeys.SITE_OPTION);
        if (site == null) {
            throw SshKeyException.atLine(file, lineNumber, "has no " + SshKeys.SITE_OPTION
                    + "=\"<site>\" option; distgate needs it to know which site the key belongs to", null);
        }
        if (site.contains(",")) {
            throw SshKeyException.atLine(file, lineNumber, SshKeys.SITE_OPTION + " is given more than once; a key belongs to one site", null);
        }
        try {
            SshKeys.checkSite(site);
        } catch (IllegalArgumentException e) {
            throw SshKeyException.atLine(file, lineNumber, SshKeys.SITE_OPTION + ": " + e.getMessage(), e);
        }
        return new Entry(key, site, lineNumber);
    }
}
