package io.distgate.bridge.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/** Heap buffers whose reference counts a test can check after the fact. */
final class TrackingAllocator extends UnpooledByteBufAllocator {

    final List<ByteBuf> allocated = new ArrayList<>();

    TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf buf = super.newHeapBuffer(initialCapacity, maxCapacity);
        allocated.add(buf);
        return buf;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf buf = super.newDirectBuffer(initialCapacity, maxCapacity);
        allocated.add(buf);
        return buf;
    }
}
