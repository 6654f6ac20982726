package io.distgate.bridge.dist;

import java.util.Objects;

/**
 * A full Erlang node name, {@code alive@host}.
 *
 * <p>Erlang node names are atoms of at most 255 characters with exactly one {@code @} and
 * non-empty parts (dist_util {@code is_name_ok/2}). The handshake carries them as Latin-1 bytes;
 * distgate accepts printable ASCII only, so a name always round-trips byte for byte.
 */
public record NodeName(String alive, String host) implements Comparable<NodeName> {

    /** Longest atom Erlang accepts, in characters (ERTS {@code MAX_ATOM_CHARACTERS}). */
    public static final int MAX_LENGTH = 255;

    public NodeName {
        Objects.requireNonNull(alive, "alive");
        Objects.requireNonNull(host, "host");
        if (alive.isEmpty() || host.isEmpty()) {
            throw new IllegalArgumentException("node name needs non-empty parts around '@': " + alive + "@" + host);
        }
        if (alive.length() + 1 + host.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("node name longer than " + MAX_LENGTH + " characters");
        }
        checkChars(alive, "alive part");
        checkChars(host, "host part");
    }

    /** Parses {@code alive@host}; throws {@link IllegalArgumentException} naming the problem. */
    public static NodeName parse(String text) {
        Objects.requireNonNull(text, "node name");
        int at = text.indexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("node name '" + printable(text) + "' has no '@'");
        }
        if (text.indexOf('@', at + 1) >= 0) {
            throw new IllegalArgumentException("node name '" + printable(text) + "' has more than one '@'");
        }
        return new NodeName(text.substring(0, at), text.substring(at + 1));
    }

    /**
     * Short names ({@code -sname}) have a host without dots; long names ({@code -name}) have a
     * fully qualified host or an IP address literal (inet_tcp_dist {@code splitnode/3}).
     */
    public NameMode mode() {
        return host.indexOf('.') >= 0 || host.indexOf(':') >= 0 ? NameMode.LONG : NameMode.SHORT;
    }

    @Override
    public String toString() {
        return alive + "@" + host;
    }

    /** Erlang compares node atoms by their text; the simultaneous-connect rule uses this order. */
    @Override
    public int compareTo(NodeName other) {
        return toString().compareTo(other.toString());
    }

    private static void checkChars(String part, String what) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c <= ' ' || c > '~' || c == '@') {
                throw new IllegalArgumentException(
                        "node name " + what + " '" + printable(part) + "' has a character distgate does not accept at index " + i
                                + " (printable ASCII without '@' only)");
            }
        }
    }

    /** Renders untrusted text for a log line: printable ASCII kept, everything else escaped, long text cut. */
    public static String printable(CharSequence text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 80) + 8);
        for (int i = 0; i < text.length() && out.length() < 80; i++) {
            char c = text.charAt(i);
            if (c >= ' ' && c <= '~') {
                out.append(c);
            } else {
                out.append(String.format("\\x%02x", (int) c & 0xff));
            }
        }
        if (out.length() >= 80) {
            out.append("...");
        }
        return out.toString();
    }
}
