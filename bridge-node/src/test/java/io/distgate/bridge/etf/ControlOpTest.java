package io.distgate.bridge.etf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ControlOpTest {

    /** The control message table of reference section 5: code, tuple arity, payload. */
    @ParameterizedTest
    @CsvSource({
            "LINK, 1, 3, 3, false, link",
            "SEND, 2, 3, 3, true, send",
            "EXIT, 3, 4, 4, false, exit",
            "UNLINK, 4, 3, 3, false, unlink",
            "NODE_LINK, 5, 1, 1, false, node_link",
            "REG_SEND, 6, 4, 4, true, reg_send",
            "GROUP_LEADER, 7, 3, 3, false, group_leader",
            "EXIT2, 8, 4, 4, false, exit2",
            "SEND_TT, 12, 4, 4, true, send_tt",
            "EXIT_TT, 13, 5, 5, false, exit_tt",
            "REG_SEND_TT, 16, 5, 5, true, reg_send_tt",
            "EXIT2_TT, 18, 5, 5, false, exit2_tt",
            "MONITOR_P, 19, 4, 4, false, monitor_p",
            "DEMONITOR_P, 20, 4, 4, false, demonitor_p",
            "MONITOR_P_EXIT, 21, 5, 5, false, monitor_p_exit",
            "SEND_SENDER, 22, 3, 3, true, send_sender",
            "SEND_SENDER_TT, 23, 4, 4, true, send_sender_tt",
            "PAYLOAD_EXIT, 24, 3, 3, true, payload_exit",
            "PAYLOAD_EXIT_TT, 25, 4, 4, true, payload_exit_tt",
            "PAYLOAD_EXIT2, 26, 3, 3, true, payload_exit2",
            "PAYLOAD_EXIT2_TT, 27, 4, 4, true, payload_exit2_tt",
            "PAYLOAD_MONITOR_P_EXIT, 28, 4, 4, true, payload_monitor_p_exit",
            "SPAWN_REQUEST, 29, 6, 6, true, spawn_request",
            "SPAWN_REQUEST_TT, 30, 7, 7, true, spawn_request_tt",
            "SPAWN_REPLY, 31, 5, 5, false, spawn_reply",
            "SPAWN_REPLY_TT, 32, 6, 6, false, spawn_reply_tt",
            "ALIAS_SEND, 33, 3, 3, true, alias_send",
            "ALIAS_SEND_TT, 34, 4, 4, true, alias_send_tt",
            "UNLINK_ID, 35, 4, 4, false, unlink_id",
            "UNLINK_ID_ACK, 36, 4, 4, false, unlink_id_ack",
            "ALTACT_SIG_SEND, 37, 4, 5, true, altact_sig_send",
    })
    void matchesTheControlMessageTable(ControlOp op, int code, int minArity, int maxArity, boolean payload,
                                       String label) {
        assertThat(ControlOp.ofCode(code)).isSameAs(op);
        assertThat(op.code()).isEqualTo(code);
        assertThat(op.minArity()).isEqualTo(minArity);
        assertThat(op.maxArity()).isEqualTo(maxArity);
        assertThat(op.takesPayload()).isEqualTo(payload);
        assertThat(op.label()).isEqualTo(label);
    }

    @Test
    void coversEveryAssignedCode() {
        assertThat(ControlOp.values()).hasSize(32);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 9, 10, 11, 14, 15, 17, 38, 255, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void unassignedCodesAreUnknown(int code) {
        assertThat(ControlOp.ofCode(code)).isSameAs(ControlOp.UNKNOWN);
    }

    @Test
    void unknownAcceptsAnyArityAndIsLabelledUnknown() {
        assertThat(ControlOp.UNKNOWN.acceptsArity(1)).isTrue();
        assertThat(ControlOp.UNKNOWN.acceptsArity(70_000)).isTrue();
        assertThat(ControlOp.UNKNOWN.acceptsArity(0)).isFalse();
        assertThat(ControlOp.UNKNOWN.label()).isEqualTo("unknown");
    }

    @Test
    void altactSigSendAcceptsFourOrFiveElementsOnly() {
        assertThat(ControlOp.ALTACT_SIG_SEND.acceptsArity(3)).isFalse();
        assertThat(ControlOp.ALTACT_SIG_SEND.acceptsArity(4)).isTrue();
        assertThat(ControlOp.ALTACT_SIG_SEND.acceptsArity(5)).isTrue();
        assertThat(ControlOp.ALTACT_SIG_SEND.acceptsArity(6)).isFalse();
    }
}
