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
import java.util.function.LongSupplier;

/**
 * The "other started" side of the handshake (dist_util {@code handshake_other_started/1}),
 * played by the gateway towards a node that dialled a proxy port. The gateway stands in for the
 * node that was dialled, so what to answer (status, challenge flags and creation) is decided by
 * the session from the far node's own answers; this class only keeps the order and checks.
 *
 * <p>Sequence: receive send_name → send status → [alive: receive status reply] → send challenge
 * → [version 5: receive complement] → receive challenge_reply (digest checked) → send challenge_ack.
 * No Netty types; every failure is a {@link HandshakeException}.
 */
public final class AcceptorHandshake {

    private enum Step { AWAIT_NAME, DECIDE_STATUS, AWAIT_STATUS_REPLY, CHALLENGE_NEXT, AWAIT_COMPLEMENT, AWAIT_REPLY, VERIFIED, DONE, CLOSED }

    private final Cookie cookie;
    private final LongSupplier challenges;
    private Step step = Step.AWAIT_NAME;
    private NodeName peer;
    private int version;
    private long peerFlags;
    private long peerCreation;
    private long ourChallenge;
    private long peerChallenge;

    /**
     * @param cookie     the cookie of the site the dialling node belongs to
     * @param challenges source of 32-bit challenges; the gateway uses a SecureRandom
     */
    public AcceptorHandshake(Cookie cookie, LongSupplier challenges) {
        this.cookie = cookie;
        this.challenges = challenges;
    }

    /** Checks the dialling node's send_name and returns its name. */
    public NodeName receive(SendName name) {
        expect(Step.AWAIT_NAME, "send_name");
        if ((name.flags() & DistFlags.NAME_ME) != 0) {
            throw fail(HandshakeException.DYNAMIC_NAME, "node on host '" + NodeName.printable(name.name())
                    + "' asks for a dynamic name (-sname undefined); the gateway needs static node names", Status.NOT_ALLOWED);
        }
        try {
            peer = NodeName.parse(name.name());
        } catch (IllegalArgumentException e) {
            // OTP closes without a status when the name is not a node name (dist_util recv_name_new/2).
            throw fail(HandshakeException.BAD_NAME, "send_name: " + e.getMessage(), null);
        }
        version = name.version();
        peerFlags = DistFlags.expand(name.flags());
        peerCreation = name.creation();
        long missing = DistFlags.GATEWAY_REQUIRED & ~peerFlags;
        if (missing != 0) {
            throw fail(HandshakeException.FLAGS, "node " + peer + " lacks flags " + DistFlags.names(missing)
                    + (missing == DistFlags.HANDSHAKE_23 ? " (OTP 22 or older)" : ""), Status.NOT_ALLOWED);
        }
        step = Step.DECIDE_STATUS;
        return peer;
    }

    /** The status to send: ok, ok_simultaneous, alive (then a reply is expected), or a refusal (nok, not_allowed). */
    public Status status(String text) {
        expect(Step.DECIDE_STATUS, "a status decision");
        switch (text) {
            case Status.OK, Status.OK_SIMULTANEOUS -> step = Step.CHALLENGE_NEXT;
            case Status.ALIVE -> step = Step.AWAIT_STATUS_REPLY;
            case Status.NOK, Status.NOT_ALLOWED -> step = Step.CLOSED;
            default -> throw new IllegalArgumentException("not a status an acceptor sends: " + text);
        }
        return new Status(text);
    }

    /** The dialler's answer to {@code alive}: true if its attempt is still pending. */
    public boolean receive(Status reply) {
        expect(Step.AWAIT_STATUS_REPLY, "status reply");
        switch (reply.text()) {
            case Status.TRUE:
                step = Step.CHALLENGE_NEXT;
                return true;
            case Status.FALSE:
                step = Step.CLOSED;
                return false;
            default:
                throw fail(HandshakeException.MALFORMED, "status reply from " + peer + " is '"
                        + NodeName.printable(reply.text()) + "', expected true or false", null);
        }
    }

    /** The challenge, sent in the name, flags and creation of the node being stood in for. */
    public Challenge challenge(long flags, long creation, NodeName as) {
        expect(Step.CHALLENGE_NEXT, "challenge");
        ourChallenge = challenges.getAsLong() & 0xFFFF_FFFFL;
        step = version == 5 ? Step.AWAIT_COMPLEMENT : Step.AWAIT_REPLY;
        return new Challenge(flags, ourChallenge, creation, as.toString());
    }

    /** Version 5 only: the high flag bits and the creation the old send_name could not carry. */
    public void receive(Complement complement) {
        expect(Step.AWAIT_COMPLEMENT, "complement");
        peerFlags = DistFlags.expand(peerFlags | (complement.flagsHigh() << 32));
        peerCreation = complement.creation();
        step = Step.AWAIT_REPLY;
    }

    /** Checks the digest of our challenge against the site cookie. */
    public void receive(ChallengeReply reply) {
        expect(Step.AWAIT_REPLY, "challenge_reply");
        if (!cookie.verifies(ourChallenge, reply.digest())) {
            throw fail(HandshakeException.BAD_COOKIE, "node " + peer
                    + " answered the challenge with a wrong digest (its cookie differs from the site's)", null);
        }
        peerChallenge = reply.challenge();
        step = Step.VERIFIED;
    }

    /** The last message: proves the gateway knows the site cookie too. */
    public ChallengeAck ack() {
        expect(Step.VERIFIED, "challenge_ack");
        step = Step.DONE;
        return new ChallengeAck(cookie.digest(peerChallenge));
    }

    /** Dispatches a received message to the matching step; anything else is out of order. */
    public void receiveAny(HandshakeMessage message) {
        if (message instanceof Complement c) {
            receive(c);
        } else if (message instanceof ChallengeReply r) {
            receive(r);
        } else {
            throw fail(HandshakeException.UNEXPECTED, "unexpected " + describe(message) + " while waiting for " + waitingFor(), null);
        }
    }

    public NodeName peer() {
        return peer;
    }

    public int version() {
        return version;
    }

    /** The dialler's flags, MANDATORY_25_DIGEST expanded; complete for version 5 only after the complement. */
    public long peerFlags() {
        return peerFlags;
    }

    /** The dialler's creation; 0 for version 5 until the complement arrives. */
    public long peerCreation() {
        return peerCreation;
    }

    public boolean isDone() {
        return step == Step.DONE;
    }

    /** What the next received message should be, for timeout and error messages. */
    public String waitingFor() {
        return switch (step) {
            case AWAIT_NAME -> "send_name";
            case AWAIT_STATUS_REPLY -> "status reply";
            case AWAIT_COMPLEMENT -> "complement";
            case AWAIT_REPLY -> "challenge_reply";
            default -> "the far node";
        };
    }

    private void expect(Step expected, String what) {
        if (step != expected) {
            throw fail(HandshakeException.UNEXPECTED, what + " out of order: handshake is at " + step, null);
        }
    }

    private HandshakeException fail(String reason, String message, String status) {
        step = Step.CLOSED;
        return new HandshakeException(reason, message, status);
    }

    static String describe(HandshakeMessage message) {
        return message.getClass().getSimpleName();
    }
}
