package io.distgate.bridge.etf;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scan runs once per relayed packet, so it must not create garbage. */
class ControlScannerAllocationTest {

    private static final int SCANS = 100_000;
    /** Room for what the measurement itself may allocate, far below one byte per scan. */
    private static final long SLACK_BYTES = 1024;

    @ParameterizedTest(name = "direct buffer: {0}")
    @ValueSource(booleans = {false, true})
    void scanningSendPacketsAllocatesNothing(boolean direct) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);

        // SEND {2, '', To} + {hello, <<"world">>, 1.5}: a 63-byte body behind its 4-byte length.
        byte[] body = OtpVectors.SEND.body();
        ByteBuf framed = ControlScannerTest.framed(body);
        ByteBuf buf = direct ? Unpooled.directBuffer(framed.capacity()).writeBytes(framed) : framed;
        int end = buf.writerIndex();
        ControlScanner scanner = new ControlScanner(EtfLimits.DEFAULTS);

        // Run long enough for the JIT to compile the scan, so the compiled code is measured.
        long sum = scanMany(scanner, buf, end, body.length);
        long before = threads.getCurrentThreadAllocatedBytes();
        sum += scanMany(scanner, buf, end, body.length);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sum).isEqualTo(2L * SCANS * ControlOp.SEND.code());
        assertThat(allocated).as("bytes allocated by %d scans", SCANS).isLessThan(SLACK_BYTES);
        buf.release();
    }

    private static long scanMany(ControlScanner scanner, ByteBuf buf, int end, int length) {
        long sum = 0;
        for (int i = 0; i < SCANS; i++) {
            sum += scanner.scan(buf, 4, end, length);
        }
        return sum;
    }
}
