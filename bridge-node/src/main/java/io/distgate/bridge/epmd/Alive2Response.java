package io.distgate.bridge.epmd;

/**
 * ALIVE2_X_RESP (tag 118, {@code 'v'}, 4-byte creation) or ALIVE2_RESP (tag 121, {@code 'y'},
 * 2-byte creation). epmd sends the X form when the request's HighestVersion is 6 or more
 * (Distribution Protocol, "ALIVE2_X_RESP"). Unlike the query replies, this one is not ended by a
 * close: the registration connection stays open.
 *
 * @param result 0 = registered; anything else = refused (epmd sends 1), creation then meaningless
 * @param creation the node's creation, unsigned 32-bit for the X form, 16-bit otherwise
 * @param extended true for ALIVE2_X_RESP, false for ALIVE2_RESP
 */
public record Alive2Response(int result, long creation, boolean extended) {

    public Alive2Response {
        EpmdFields.checkRange(result, 0xFF, "ALIVE2 Result");
        EpmdFields.checkRange(creation, extended ? 0xFFFF_FFFFL : 0xFFFF, "ALIVE2 Creation");
    }

    public boolean registered() {
        return result == 0;
    }
}
