package io.distgate.bridge.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PreferredLoopGroupTest {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(4, LocalIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void acceptedChannelsGoToThePreferredLoopOfTheMomentOfAccept() throws Exception {
        AtomicReference<EventLoop> preferred = new AtomicReference<>(group.next());
        BlockingQueue<EventLoop> acceptedOn = new ArrayBlockingQueue<>(4);
        LocalAddress address = new LocalAddress("preferred-loop-test");
        Channel server = new ServerBootstrap()
                .group(group, new PreferredLoopGroup(group, preferred::get))
                .channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        acceptedOn.add(ch.eventLoop());
                    }
                })
                .bind(address).sync().channel();
        try {
            EventLoop first = preferred.get();
            Channel one = connect(address);
            assertThat(acceptedOn.poll(5, TimeUnit.SECONDS)).isSameAs(first);
            EventLoop second = group.next();
            preferred.set(second);
            Channel two = connect(address);
            assertThat(acceptedOn.poll(5, TimeUnit.SECONDS)).isSameAs(second);
            one.close().sync();
            two.close().sync();
        } finally {
            server.close().sync();
        }
    }

    @Test
    void withoutAPreferenceChannelsGoToTheGroupsLoops() throws Exception {
        PreferredLoopGroup loops = new PreferredLoopGroup(group, () -> null);
        Channel channel = new LocalChannel();
        loops.register(channel).sync();
        assertThat(group).contains(channel.eventLoop());
        channel.close().sync();
    }

    @Test
    void aLoopThatIsShuttingDownIsNotUsed() throws Exception {
        EventLoopGroup other = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        EventLoop stopping = other.next();
        other.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        PreferredLoopGroup loops = new PreferredLoopGroup(group, () -> stopping);
        assertThat(loops.next()).isNotSameAs(stopping);
        assertThat(group).contains(loops.next());
    }

    private Channel connect(LocalAddress address) throws InterruptedException {
        return new Bootstrap().group(group).channel(LocalChannel.class).handler(new ChannelInboundHandlerAdapter())
                .connect(address).sync().channel();
    }
}
