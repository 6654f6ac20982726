package io.distgate.bridge.site;

import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.session.FarHalf;
import io.distgate.bridge.session.FarSite;
import io.distgate.bridge.session.InProcessLink;
import io.distgate.bridge.session.SessionLink;
import io.distgate.bridge.session.SetupMessage.Open;
import io.distgate.bridge.session.SetupReceiver;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;

/**
 * Another site served by the same gateway process, as seen from {@code source}: its sessions
 * run both halves here and relay leg to leg.
 */
public final class LocalFarSite implements FarSite {

    private final Site target;
    private final Site source;

    public LocalFarSite(Site target, Site source) {
        this.target = target;
        this.source = source;
    }

    @Override
    public String name() {
        return target.name();
    }

    @Override
    public CompletableFuture<Availability> lookup(NodeName node) {
        return target.lookup(node);
    }

    @Override
    public SessionLink open(Open open, SetupReceiver near) {
        InProcessLink link = new InProcessLink(near);
        // Both legs on the near leg's event loop: relaying between them needs no thread hand-off.
        FarHalf far = new FarHalf(target.farContext(), open, source.name(), source::isLocal, (EventLoop) near.executor());
        link.attachFar(far);
        far.executor().execute(() -> far.start(link.farEnd()));
        return link.nearEnd();
    }
}
