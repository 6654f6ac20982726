package io.distgate.bridge.relay;

/**
 * Counting relayed packets, called once per packet on the hot path: implementations keep their
 * counters resolved up front (one per direction and operation) and must not allocate.
 */
public interface RelayCounters {

    RelayCounters NONE = (direction, op, bytes) -> { };

    /**
     * @param op    the control message's operation code (ControlOp code; 0 when not known)
     * @param bytes the packet's length including its 4-byte length field
     */
    void packet(Direction direction, int op, long bytes);

    /**
     * The relay stopped reading a node because the other side could not take more: a tunnel
     * stream whose window is closed, or (within one gateway) the other node's socket.
     */
    default void stall() {
    }
}
