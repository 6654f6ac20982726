package io.distgate.bridge.site;

import io.distgate.bridge.dist.NodeName;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which node names live at a site: glob patterns where {@code *} is any run of characters and
 * {@code ?} one character. A pattern with an {@code @} matches the whole name
 * ({@code b*@db-?.example.com}); one without matches the alive part on any host ({@code b*}).
 */
public final class NodePatterns {

    private final List<String> globs;
    private final List<Pattern> compiled;

    private NodePatterns(List<String> globs) {
        this.globs = List.copyOf(globs);
        this.compiled = this.globs.stream().map(NodePatterns::compile).collect(Collectors.toUnmodifiableList());
    }

    public static NodePatterns of(List<String> globs) {
        for (String glob : globs) {
            if (glob == null || glob.isBlank()) {
                throw new IllegalArgumentException("node pattern is empty");
            }
            if (glob.indexOf('@') != glob.lastIndexOf('@')) {
                throw new IllegalArgumentException("node pattern '" + glob + "' has more than one '@'");
            }
        }
        return new NodePatterns(globs);
    }

    public static NodePatterns of(String... globs) {
        return of(List.of(globs));
    }

    public boolean matches(NodeName node) {
        String full = node.toString();
        for (int i = 0; i < compiled.size(); i++) {
            String subject = globs.get(i).indexOf('@') >= 0 ? full : node.alive();
            if (compiled.get(i).matcher(subject).matches()) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return globs.isEmpty();
    }

    public List<String> globs() {
        return globs;
    }

    @Override
    public String toString() {
        return globs.toString();
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder(glob.length() + 8);
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
