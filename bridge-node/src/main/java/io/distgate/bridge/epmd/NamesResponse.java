package io.distgate.bridge.epmd;

import java.util.List;
import java.util.Objects;

/**
 * NAMES_RESP: epmd's own port as a 4-byte integer, then one line {@code name <alive> at port
 * <port>\n} per registered node; epmd closes the connection after the last line (Distribution
 * Protocol, "NAMES_RESP"; {@code epmd_srv.c}).
 *
 * @param epmdPort the port the answering epmd listens on
 * @param entries registered nodes in epmd's order
 */
public record NamesResponse(int epmdPort, List<NamesResponse.Entry> entries) {

    public NamesResponse {
        EpmdFields.checkRange(epmdPort, 0xFFFF, "NAMES_RESP EPMDPortNo");
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
    }

    /** One registered node. */
    public record Entry(String name, int port) {

        public Entry {
            EpmdFields.checkName(name, "NAMES_RESP name");
            // The line format has no escaping: a newline would end the entry early.
            if (name.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("NAMES_RESP name must not contain a newline");
            }
            EpmdFields.checkRange(port, 0xFFFF, "NAMES_RESP port");
        }
    }
}
