package io.distgate.bridge.relay;

import java.util.ArrayList;
import java.util.List;

/** Remembers every packet counted, in order. */
final class RecordingCounters implements RelayCounters {

    record Counted(Direction direction, int op, long bytes) {
    }

    final List<Counted> counted = new ArrayList<>();

    @Override
    public void packet(Direction direction, int op, long bytes) {
        counted.add(new Counted(direction, op, bytes));
    }

    static Counted out(int op, byte[] body) {
        return new Counted(Direction.OUT, op, 4L + body.length);
    }

    static Counted in(int op, byte[] body) {
        return new Counted(Direction.IN, op, 4L + body.length);
    }
}
