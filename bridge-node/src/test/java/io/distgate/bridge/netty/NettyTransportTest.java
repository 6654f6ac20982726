package io.distgate.bridge.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NettyTransportTest {

    @Test
    void onLinuxTheTransportIsNativeEpoll() {
        assertThat(NettyTransport.best().isNative())
                .as("netty-transport-native-epoll should load on linux-x86_64").isTrue();
    }

    @Test
    void limitUnsentBytesSetsTcpNotSentLowAtOnAnEpollSocket() {
        NettyTransport transport = NettyTransport.best();
        EventLoopGroup group = transport.newGroup(1, "transport-test");
        try {
            EpollSocketChannel channel = new EpollSocketChannel();
            group.next().register(channel).syncUninterruptibly();
            transport.limitUnsentBytes(channel, 128 * 1024);
            assertThat(channel.config().getTcpNotSentLowAt()).isEqualTo(128 * 1024L);
            channel.close().syncUninterruptibly();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
