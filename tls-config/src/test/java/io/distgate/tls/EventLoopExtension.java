package io.distgate.tls;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One NIO event loop group per test class, shut down with a deadline after the last test. */
final class EventLoopExtension implements BeforeAllCallback, AfterAllCallback {

    private EventLoopGroup group;

    EventLoopGroup group() {
        return group;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (!group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("event loop group did not shut down within 10 s");
        }
    }
}
