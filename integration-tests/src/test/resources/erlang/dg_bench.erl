%% Workloads of the benchmark suite (bench/run), called on the nodes through dg_agent.
%%
%% Node A drives every workload towards node B; whatever path links them (direct TCP, TLS
%% distribution, a tunnel, distgate) is the thing measured. Times are taken with
%% erlang:monotonic_time/0 in native units (nanoseconds on Linux) and returned in
%% nanoseconds; a time taken on B is only ever compared with another time taken on B.
%%
%% Results are maps of integers (the agent prints them on one line), or, for sample lists,
%% one string of comma-separated integers: a list of small integers could be printed as a
%% string by "~tp".
-module(dg_bench).

-export([start_echo/0, rtt/2,
         start_sinks/2, throughput/4,
         hol/5, probe/2,
         disconnect/1, connected/1, timed_ping/1]).

%% Round trips run before the measured ones, so code loading and connection warm-up are not measured.
-define(RTT_WARMUP, 1000).
%% A sender checks for 'stop' once per batch of sends.
-define(SEND_BATCH, 64).
-define(REPLY_TIMEOUT_MS, 120000).
%% A head-of-line probe call slower than this ends the probe (OTP 25's TLS distribution can
%% starve a small call behind a bulk stream for longer than a minute).
-define(HOL_CALL_TIMEOUT_MS, 2000).
%% How long the bulk stream of a head-of-line probe may take to drain once stopped; a stream that
%% does not is stopped and its connection dropped, so the next workload starts on a fresh one.
%% What can be in flight (one 8 MiB message, the 1 MB busy limit, socket buffers and a 4 MiB
%% stream window: some 20 MB) drains in well under a second at the slowest path's 70 MB/s.
-define(HOL_DRAIN_TIMEOUT_MS, 3000).

%%% Round trip of a small term

%% On B: an echo process, started once and registered as dg_bench_echo.
start_echo() ->
    case whereis(dg_bench_echo) of
        undefined ->
            Pid = spawn(fun echo_loop/0),
            register(dg_bench_echo, Pid),
            Pid;
        Pid ->
            Pid
    end.

echo_loop() ->
    receive
        {From, Term} -> From ! {dg_bench_echo, Term}, echo_loop()
    end.

%% On A: N round trips of a small term to B's echo process, one at a time. Returns the
%% samples in nanoseconds, comma-separated, in the order taken.
rtt(Node, N) ->
    Echo = erpc:call(Node, ?MODULE, start_echo, []),
    _ = rtt_loop(Echo, ?RTT_WARMUP, []),
    Samples = rtt_loop(Echo, N, []),
    join(lists:reverse(Samples)).

rtt_loop(_Echo, 0, Acc) ->
    Acc;
rtt_loop(Echo, N, Acc) ->
    T0 = erlang:monotonic_time(),
    Echo ! {self(), ping},
    receive {dg_bench_echo, ping} -> ok end,
    T1 = erlang:monotonic_time(),
    rtt_loop(Echo, N - 1, [to_ns(T1 - T0) | Acc]).

%%% One-way throughput

%% On B: Count sinks that read and drop binaries; each reports to ReportTo once its sender's
%% end marker arrives: bytes and messages received, and B's clock at its first message and at
%% the marker.
start_sinks(Count, ReportTo) ->
    [spawn(fun() -> sink(ReportTo, 0, 0, undefined) end) || _ <- lists:seq(1, Count)].

sink(ReportTo, Bytes, Msgs, First) ->
    receive
        Bin when is_binary(Bin) ->
            Now = case First of undefined -> erlang:monotonic_time(); _ -> First end,
            sink(ReportTo, Bytes + byte_size(Bin), Msgs + 1, Now);
        dg_bench_done ->
            ReportTo ! {dg_bench_sink, self(), Bytes, Msgs, First, erlang:monotonic_time()}
    end.

%% On A: Senders processes each send Size-byte binaries to a sink of their own on B for
%% Millis, then an end marker. The rate is what B received, from its first message to the
%% last marker: what is still in flight when the senders stop is counted, and so is the time
%% to drain it.
throughput(Node, Size, Senders, Millis) ->
    {Sinks, Pids} = start_senders(Node, Size, Senders),
    receive after Millis -> ok end,
    Results = stop_senders(Sinks, Pids),
    summary(Results).

start_senders(Node, Size, Senders) ->
    Sinks = erpc:call(Node, ?MODULE, start_sinks, [Senders, self()]),
    Bin = payload(Size),
    Pids = [spawn_link(fun() -> send_loop(Sink, Bin) end) || Sink <- Sinks],
    {Sinks, Pids}.

stop_senders(Sinks, Pids) ->
    {ok, Results} = stop_senders(Sinks, Pids, ?REPLY_TIMEOUT_MS),
    Results.

%% Stops the senders and collects every sink's report, all within Timeout ms; stalled if one is missing.
stop_senders(Sinks, Pids, Timeout) ->
    [Pid ! stop || Pid <- Pids],
    Deadline = erlang:monotonic_time(millisecond) + Timeout,
    collect(Sinks, Deadline, []).

collect([], _Deadline, Acc) ->
    {ok, lists:reverse(Acc)};
collect([Sink | Rest], Deadline, Acc) ->
    Left = max(0, Deadline - erlang:monotonic_time(millisecond)),
    receive
        {dg_bench_sink, Sink, B, M, F, L} -> collect(Rest, Deadline, [{B, M, F, L} | Acc])
    after Left ->
        stalled
    end.

summary(Results) ->
    Bytes = lists:sum([B || {B, _, _, _} <- Results]),
    Msgs = lists:sum([M || {_, M, _, _} <- Results]),
    Firsts = [F || {_, _, F, _} <- Results, F =/= undefined],
    Lasts = [L || {_, _, _, L} <- Results],
    Nanos = case Firsts of
                [] -> 0;
                _ -> to_ns(lists:max(Lasts) - lists:min(Firsts))
            end,
    #{bytes => Bytes, msgs => Msgs, nanos => Nanos}.

send_loop(Sink, Bin) ->
    receive
        stop -> Sink ! dg_bench_done
    after 0 ->
        send_batch(Sink, Bin, ?SEND_BATCH),
        send_loop(Sink, Bin)
    end.

send_batch(_Sink, _Bin, 0) -> ok;
send_batch(Sink, Bin, N) -> Sink ! Bin, send_batch(Sink, Bin, N - 1).

%% A binary off the process heap for sizes over 64 bytes, so sending it copies nothing on A.
payload(Size) ->
    binary:copy(<<16#5a>>, Size).

%%% Head-of-line probe

%% On A: one sender streams BigSize-byte binaries to a sink on B while Prober makes small
%% erpc:call/5s to B back to back for Millis (after WarmupMillis of streaming alone). Prober is
%% this node (the calls queue on the stream's own connection) or another node of A's side (its
%% own connection to B: over distgate another stream of the same tunnel, over ssh -L another
%% channel of the same SSH connection). Returns the call latencies in nanoseconds, the bulk rate
%% during the probe and how many calls timed out: a call that takes ?HOL_CALL_TIMEOUT_MS counts
%% as that long and ends the probe.
hol(Node, BigSize, WarmupMillis, Millis, Prober) ->
    {Sinks, Pids} = start_senders(Node, BigSize, 1),
    receive after WarmupMillis -> ok end,
    {Samples, Timeouts} = case Prober =:= node() of
                              true -> probe(Node, Millis);
                              false -> erpc:call(Prober, ?MODULE, probe, [Node, Millis], Millis + 2 * ?HOL_CALL_TIMEOUT_MS)
                          end,
    Bulk = case stop_senders(Sinks, Pids, ?HOL_DRAIN_TIMEOUT_MS) of
               {ok, Results} ->
                   (summary(Results))#{stalled => 0};
               stalled ->
                   %% The connection does not drain (OTP 25's TLS distribution can stall under
                   %% this load): stop the sender so the next workload starts clean.
                   [begin unlink(Pid), exit(Pid, kill) end || Pid <- Pids],
                   _ = erlang:disconnect_node(Node),
                   #{bytes => 0, msgs => 0, nanos => 0, stalled => 1}
           end,
    Bulk#{samples => join(Samples), timeouts => Timeouts}.

%% On the prober: small calls to Node back to back for Millis; {Latencies in ns, Timeouts}.
probe(Node, Millis) ->
    End = erlang:monotonic_time() + erlang:convert_time_unit(Millis, millisecond, native),
    {Samples, Timeouts} = call_loop(Node, End, []),
    {lists:reverse(Samples), Timeouts}.

%% Each call runs in a process of its own and is given up after ?HOL_CALL_TIMEOUT_MS: a process
%% sending to a node whose distribution buffer is full is suspended before erpc's own timeout
%% starts (busy_dist_port), and on a stalled connection it would stay suspended.
call_loop(Node, End, Acc) ->
    T0 = erlang:monotonic_time(),
    case T0 >= End of
        true ->
            {Acc, 0};
        false ->
            {Pid, Ref} = spawn_monitor(fun() -> exit({dg_bench_call, erpc:call(Node, erlang, node, [])}) end),
            receive
                {'DOWN', Ref, process, Pid, {dg_bench_call, Node}} ->
                    call_loop(Node, End, [to_ns(erlang:monotonic_time() - T0) | Acc]);
                {'DOWN', Ref, process, Pid, Reason} ->
                    error({probe_call_failed, Reason})
            after ?HOL_CALL_TIMEOUT_MS ->
                exit(Pid, kill),
                receive {'DOWN', Ref, process, Pid, _} -> ok end,
                {[?HOL_CALL_TIMEOUT_MS * 1000000 | Acc], 1}
            end
    end.

%%% Connection setup

%% On A: drops the connection to Node and returns once this node no longer lists it.
disconnect(Node) ->
    _ = erlang:disconnect_node(Node),
    await_gone(Node, 5000).

await_gone(Node, 0) ->
    error({still_connected, Node});
await_gone(Node, Left) ->
    case lists:member(Node, nodes(connected)) of
        false -> ok;
        true -> receive after 1 -> await_gone(Node, Left - 1) end
    end.

connected(Node) ->
    lists:member(Node, nodes(connected)).

%% On A: the time, in nanoseconds, of a ping that has to set the connection up.
timed_ping(Node) ->
    T0 = erlang:monotonic_time(),
    pong = net_adm:ping(Node),
    to_ns(erlang:monotonic_time() - T0).

%%% Helpers

to_ns(Native) ->
    erlang:convert_time_unit(Native, native, nanosecond).

join(Integers) ->
    lists:flatten(lists:join($,, [integer_to_list(I) || I <- Integers])).
