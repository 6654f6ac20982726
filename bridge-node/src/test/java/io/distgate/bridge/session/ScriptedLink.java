package io.distgate.bridge.session;

import io.distgate.bridge.relay.CloseReason;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The other half of a session, played by the test: records what the half under test tells it. */
final class ScriptedLink implements SessionLink {

    final List<SetupMessage> sent = new ArrayList<>();
    SetupFailure closedWith;
    String detail;
    Channel leg;
    Consumer<CloseReason> onEnd;

    @Override
    public void send(SetupMessage message) {
        sent.add(message);
    }

    @Override
    public void established(Channel leg, Consumer<CloseReason> onEnd) {
        this.leg = leg;
        this.onEnd = onEnd;
    }

    @Override
    public void close(SetupFailure failure, String detail) {
        this.closedWith = failure;
        this.detail = detail;
    }
}
