/**
 * EPMD, the Erlang port mapper: message records, a pure codec, a frame decoder for a server that
 * speaks EPMD, and an asynchronous client.
 *
 * <p>Protocol sources: the ERTS guide "Distribution Protocol", section "EPMD Protocol"
 * ({@code erts/doc/guides/erl_dist_protocol.md}); the daemon {@code erts/epmd/src/epmd_srv.c} and
 * {@code epmd_int.h} for the limits it enforces; {@code lib/kernel/src/erl_epmd.erl} for how an
 * Erlang node talks to it. distgate's fact sheet, section 1, summarises them.
 *
 * <p>Layering (STYLE habit 1): {@link io.distgate.bridge.epmd.EpmdCodec} turns bytes into records
 * and back and knows nothing of sockets; {@link io.distgate.bridge.epmd.EpmdRequestDecoder} only
 * finds the request boundary and enforces the length cap; {@link io.distgate.bridge.epmd.EpmdClient}
 * owns connections, caps and deadlines.
 */
package io.distgate.bridge.epmd;
