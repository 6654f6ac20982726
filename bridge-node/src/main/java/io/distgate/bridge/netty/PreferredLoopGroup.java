package io.distgate.bridge.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A child group for a server bootstrap that registers each accepted channel on the event loop
 * {@code preferred} names at that moment (one of {@code group}'s), or on the group's next one
 * when it names none. A proxy listener uses it to put a node's connection on the event loop of
 * the tunnel its session will use, so the relay between them never hands bytes to another
 * thread. Lifecycle and scheduling are the group's: this only chooses loops.
 */
public final class PreferredLoopGroup extends AbstractEventExecutorGroup implements EventLoopGroup {

    private final EventLoopGroup group;
    private final Supplier<EventLoop> preferred;

    public PreferredLoopGroup(EventLoopGroup group, Supplier<EventLoop> preferred) {
        this.group = group;
        this.preferred = preferred;
    }

    @Override
    public EventLoop next() {
        EventLoop loop = preferred.get();
        return loop != null && !loop.isShuttingDown() ? loop : group.next();
    }

    @Override
    public ChannelFuture register(Channel channel) {
        return next().register(channel);
    }

    @Override
    public ChannelFuture register(ChannelPromise promise) {
        return next().register(promise);
    }

    @Override
    @Deprecated
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        return next().register(promise);
    }

    @Override
    public boolean isShuttingDown() {
        return group.isShuttingDown();
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        return group.shutdownGracefully(quietPeriod, timeout, unit);
    }

    @Override
    public Future<?> terminationFuture() {
        return group.terminationFuture();
    }

    @Override
    @Deprecated
    public void shutdown() {
        group.shutdown();
    }

    @Override
    public boolean isShutdown() {
        return group.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return group.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return group.awaitTermination(timeout, unit);
    }

    @Override
    public Iterator<EventExecutor> iterator() {
        return group.iterator();
    }
}
