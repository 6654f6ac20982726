package io.distgate.bridge.handshake;

import io.distgate.bridge.dist.Cookie;
import io.distgate.bridge.dist.DistFlags;
import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.handshake.HandshakeMessage.Challenge;
import io.distgate.bridge.handshake.HandshakeMessage.ChallengeAck;
import io.distgate.bridge.handshake.HandshakeMessage.ChallengeReply;
import io.distgate.bridge.handshake.HandshakeMessage.Complement;
import io.distgate.bridge.handshake.HandshakeMessage.SendName;
import io.distgate.bridge.handshake.HandshakeMessage.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The "we started" side of the handshake (dist_util {@code handshake_we_started/1}), played by
 * the gateway when it dials a node on behalf of a node of another site, under that node's name,
 * flags and creation.
 *
 * <p>Sequence: send send_name → receive status → [alive: send status reply] → receive
 * challenge (name checked) → [version 5: send complement] → send challenge_reply → receive
 * challenge_ack (digest checked). No Netty types; every failure is a {@link HandshakeException}.
 */
public final class InitiatorHandshake {

    private enum Step { START, AWAIT_STATUS, DECIDE_ALIVE, AWAIT_CHALLENGE, REPLY_NEXT, AWAIT_ACK, DONE, CLOSED }

    private final Cookie cookie;
    private final NodeName peer;
    private final NodeName as;
    private final long flags;
    private final long creation;
    private final int version;
    private final LongSupplier challenges;
    private Step step = Step.START;
    private long peerFlags;
    private long peerCreation;
    private long peerChallenge;
    private long ourChallenge;

    /**
     * @param cookie   the cookie of the site being dialled
     * @param peer     the node being dialled; its challenge must carry exactly this name
     * @param as       the name the gateway dials under (the real initiator's)
     * @param flags    the flags to offer (version 5: the low 32 bits; the high half goes in the complement)
     * @param creation the creation to announce (the real initiator's; unused by version 5)
     * @param version  5 ({@code 'n'} + complement) or 6 ({@code 'N'})
     */
    public InitiatorHandshake(Cookie cookie, NodeName peer, NodeName as, long flags, long creation, int version,
            LongSupplier challenges) {
        if (version != 5 && version != 6) {
            throw new IllegalArgumentException("handshake version must be 5 or 6, got " + version);
        }
        this.cookie = cookie;
        this.peer = peer;
        this.as = as;
        this.flags = flags;
        this.creation = creation;
        this.version = version;
        this.challenges = challenges;
    }

    public SendName sendName() {
        expect(Step.START, "send_name");
        step = Step.AWAIT_STATUS;
        return version == 5
                ? new SendName(5, flags & 0xFFFF_FFFFL, 0, as.toString())
                : new SendName(6, flags, creation, as.toString());
    }

    /**
     * Takes the acceptor's status. ok and ok_simultaneous continue; alive waits for
     * {@link #statusReply(boolean)}; nok and not_allowed end the handshake (the caller relays
     * them). Returns the status text.
     */
    public String receive(Status status) {
        expect(Step.AWAIT_STATUS, "status");
        String text = status.text();
        switch (text) {
            case Status.OK, Status.OK_SIMULTANEOUS -> step = Step.AWAIT_CHALLENGE;
            case Status.ALIVE -> step = Step.DECIDE_ALIVE;
            case Status.NOK, Status.NOT_ALLOWED -> step = Step.CLOSED;
            default -> throw fail(text.startsWith("named:") ? HandshakeException.DYNAMIC_NAME : HandshakeException.MALFORMED,
                    "status from " + peer + " is '" + NodeName.printable(text) + "', not one the gateway can relay");
        }
        return text;
    }

    /** Answer to {@code alive}: true continues (the old connection is dead for the real initiator). */
    public Status statusReply(boolean pending) {
        expect(Step.DECIDE_ALIVE, "status reply");
        step = pending ? Step.AWAIT_CHALLENGE : Step.CLOSED;
        return new Status(pending ? Status.TRUE : Status.FALSE);
    }

    /** Checks the challenge: it must come from the node dialled, with the flags the gateway needs. */
    public Challenge receive(Challenge challenge) {
        expect(Step.AWAIT_CHALLENGE, "challenge");
        if (!peer.toString().equals(challenge.name())) {
            // OTP aborts the same way (dist_util recv_challenge_new/2): the node at that port is not the one asked for.
            throw fail(HandshakeException.NAME_MISMATCH, "dialled " + peer + " but the challenge is from '"
                    + NodeName.printable(challenge.name()) + "'");
        }
        peerFlags = DistFlags.expand(challenge.flags());
        long missing = DistFlags.GATEWAY_REQUIRED & ~peerFlags;
        if (missing != 0) {
            throw fail(HandshakeException.FLAGS, "node " + peer + " lacks flags " + DistFlags.names(missing));
        }
        peerCreation = challenge.creation();
        peerChallenge = challenge.challenge();
        step = Step.REPLY_NEXT;
        return new Challenge(peerFlags, peerChallenge, peerCreation, challenge.name());
    }

    /**
     * The complement (version 5 only) and the challenge_reply, in sending order. For version 5
     * the complement carries {@code flagsHigh} and {@code complementCreation}, which the real
     * initiator sent only after its challenge; version 6 ignores both.
     */
    public List<HandshakeMessage> reply(long flagsHigh, long complementCreation) {
        expect(Step.REPLY_NEXT, "challenge_reply");
        List<HandshakeMessage> out = new ArrayList<>(2);
        if (version == 5) {
            out.add(new Complement(flagsHigh & 0xFFFF_FFFFL, complementCreation));
        }
        ourChallenge = challenges.getAsLong() & 0xFFFF_FFFFL;
        out.add(new ChallengeReply(ourChallenge, cookie.digest(peerChallenge)));
        step = Step.AWAIT_ACK;
        return out;
    }

    /** Checks that the dialled node knows the site cookie. */
    public void receive(ChallengeAck ack) {
        expect(Step.AWAIT_ACK, "challenge_ack");
        if (!cookie.verifies(ourChallenge, ack.digest())) {
            throw fail(HandshakeException.BAD_COOKIE, "node " + peer
                    + " answered with a wrong challenge_ack digest (its cookie differs from the site's)");
        }
        step = Step.DONE;
    }

    /** Dispatches a received message to the matching step; anything else is out of order. */
    public void receiveAny(HandshakeMessage message) {
        if (message instanceof Status s) {
            receive(s);
        } else if (message instanceof Challenge c) {
            receive(c);
        } else if (message instanceof ChallengeAck a) {
            receive(a);
        } else {
            throw fail(HandshakeException.UNEXPECTED, "unexpected " + AcceptorHandshake.describe(message)
                    + " from " + peer + " while waiting for " + waitingFor());
        }
    }

    public NodeName peer() {
        return peer;
    }

    /** The dialled node's flags from its challenge, MANDATORY_25_DIGEST expanded. */
    public long peerFlags() {
        return peerFlags;
    }

    public long peerCreation() {
        return peerCreation;
    }

    public boolean isDone() {
        return step == Step.DONE;
    }

    public String waitingFor() {
        return switch (step) {
            case AWAIT_STATUS -> "status";
            case AWAIT_CHALLENGE -> "challenge";
            case AWAIT_ACK -> "challenge_ack";
            default -> "the near node";
        };
    }

    private void expect(Step expected, String what) {
        if (step != expected) {
            throw fail(HandshakeException.UNEXPECTED, what + " out of order: handshake with " + peer + " is at " + step);
        }
    }

    private HandshakeException fail(String reason, String message) {
        step = Step.CLOSED;
        return new HandshakeException(reason, message);
    }
}
