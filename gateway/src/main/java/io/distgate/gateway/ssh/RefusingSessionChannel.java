package io.distgate.gateway.ssh;

import io.distgate.gateway.tunnel.TunnelListener;
import java.io.IOException;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.ChannelSession;

/**
 * The embedded SSH server's "session" channel: it may be opened, but every request on it is
 * refused, logged and counted: shell, exec, subsystem, pty, env, agent and X11 forwarding.
 * distgate needs none of them; its streams are direct-tcpip channels.
 */
final class RefusingSessionChannel extends ChannelSession {

    private final TunnelListener listener;

    private RefusingSessionChannel(TunnelListener listener) {
        this.listener = listener;
    }

    static ChannelFactory factory(TunnelListener listener) {
        return new ChannelFactory() {
            @Override
            public String getName() {
                return "session";
            }

            @Override
            public Channel createChannel(Session session) {
                return new RefusingSessionChannel(listener);
            }
        };
    }

    @Override
    protected RequestHandler.Result handleInternalRequest(String requestType, boolean wantReply, Buffer buffer)
            throws IOException {
        String kind = switch (requestType) {
            case "shell" -> "shell_request";
            case "exec" -> "exec_request";
            case "subsystem" -> "subsystem_request";
            default -> "session_request";
        };
        listener.authFailure("ssh", kind, "'" + requestType + "' refused on a session channel from "
                + getSession().getRemoteAddress() + " (user " + getSession().getUsername() + ")");
        return RequestHandler.Result.ReplyFailure;
    }
}
