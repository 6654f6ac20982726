package io.distgate.bridge.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodeNameTest {

    @Test
    void parsesAliveAndHost() {
        NodeName n = NodeName.parse("b1@host.example.com");
        assertThat(n.alive()).isEqualTo("b1");
        assertThat(n.host()).isEqualTo("host.example.com");
        assertThat(n).hasToString("b1@host.example.com");
    }

    @Test
    void tellsShortFromLongNames() {
        assertThat(NodeName.parse("a1@localhost").mode()).isEqualTo(NameMode.SHORT);
        assertThat(NodeName.parse("a1@host.example.com").mode()).isEqualTo(NameMode.LONG);
        assertThat(NodeName.parse("a1@127.0.0.1").mode()).isEqualTo(NameMode.LONG);
        assertThat(NodeName.parse("a1@::1").mode()).isEqualTo(NameMode.LONG);
    }

    @Test
    void ordersByTextAsErlangComparesAtoms() {
        assertThat(NodeName.parse("a1@x")).isLessThan(NodeName.parse("b1@x"));
        assertThat(NodeName.parse("b1@a")).isGreaterThan(NodeName.parse("a1@z"));
    }

    @Test
    void rejectsNamesErlangWouldNotAccept() {
        assertThatThrownBy(() -> NodeName.parse("nohost")).hasMessageContaining("no '@'");
        assertThatThrownBy(() -> NodeName.parse("a@b@c")).hasMessageContaining("more than one '@'");
        assertThatThrownBy(() -> NodeName.parse("@host")).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> NodeName.parse("a@")).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> NodeName.parse("a" + "b".repeat(254) + "@h")).hasMessageContaining("255");
        assertThatThrownBy(() -> NodeName.parse("a b@h")).hasMessageContaining("index 1");
    }

    @Test
    void printableEscapesUntrustedBytes() {
        assertThat(NodeName.printable("a\u0000b\u00ff")).isEqualTo("a\\x00b\\xff");
    }
}
