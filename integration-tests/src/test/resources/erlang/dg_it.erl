%% Helpers the integration tests call on their nodes (through dg_agent).
-module(dg_it).
-export([start_echo/1, ask/3, start_sink/1, sink_count/1, start_collector/2, send_seq/2,
         collected/1, start_counter/1, down_reason/2, link_exit_reason/2, watch_node/1, node_down/1,
         start_node_events/0, node_events/0, send_bulk/3, bulk_status/1, big_roundtrip/2,
         start_drain/1, send_bulk_until_stopped/2,
         reg_send_n/3]).

%% An echo server registered as Name: {From, Msg} -> From ! {echo, Msg}.
start_echo(Name) ->
    Pid = spawn(fun echo_loop/0),
    register(Name, Pid),
    Pid.

echo_loop() ->
    receive
        {From, Msg} -> From ! {echo, Msg}, echo_loop();
        stop -> ok
    end.

%% Sends {self(), Msg} to Dest and waits for the echo.
ask(Dest, Msg, Timeout) ->
    Dest ! {self(), Msg},
    receive {echo, Reply} -> Reply after Timeout -> timeout end.

%% A registered process that never reads its mailbox.
start_sink(Name) ->
    Pid = spawn(fun() -> receive never_sent_to_sink -> ok end end),
    register(Name, Pid),
    Pid.

sink_count(Name) ->
    {message_queue_len, N} = process_info(whereis(Name), message_queue_len),
    N.

%% A registered collector expecting {seq, 1..N} in order; collected(Name) tells how it went.
start_collector(Name, N) ->
    persistent_term:put({dg_collected, Name}, pending),
    Pid = spawn(fun() -> collect(1, N, Name) end),
    register(Name, Pid),
    Pid.

collect(I, N, Name) when I > N ->
    persistent_term:put({dg_collected, Name}, {in_order, N});
collect(I, N, Name) ->
    receive
        {seq, I} -> collect(I + 1, N, Name);
        {seq, Other} -> persistent_term:put({dg_collected, Name}, {out_of_order, expected, I, got, Other})
    after 60000 -> persistent_term:put({dg_collected, Name}, {stalled_at, I})
    end.

collected(Name) ->
    persistent_term:get({dg_collected, Name}, none).

send_seq(Dest, N) ->
    lists:foreach(fun(I) -> Dest ! {seq, I} end, lists:seq(1, N)),
    ok.

%% Watches Node with monitor_node/2; node_down(Node) is the time (ms) its nodedown arrived, or none.
watch_node(Node) ->
    persistent_term:put({dg_down, Node}, none),
    Parent = self(),
    Pid = spawn(fun() ->
                        monitor_node(Node, true),
                        Parent ! watching,
                        receive {nodedown, Node} ->
                                persistent_term:put({dg_down, Node}, erlang:monotonic_time(millisecond))
                        end
                end),
    receive watching -> Pid after 5000 -> timeout end.

node_down(Node) ->
    persistent_term:get({dg_down, Node}, none).

%% A gen_server counting calls, registered as Name.
start_counter(Name) ->
    {ok, Pid} = dg_counter:start(Name),
    Pid.

%% Monitors Pid and returns the 'DOWN' reason (or timeout).
down_reason(Pid, Timeout) ->
    Ref = monitor(process, Pid),
    receive {'DOWN', Ref, process, Pid, Reason} -> Reason after Timeout -> timeout end.

%% Links to Pid, traps exits, and returns the exit reason that arrives.
link_exit_reason(Pid, Timeout) ->
    process_flag(trap_exit, true),
    link(Pid),
    receive {'EXIT', Pid, Reason} -> Reason after Timeout -> timeout end.

%% Records nodeup/nodedown of every kind of node, for later inspection.
start_node_events() ->
    Pid = spawn(fun() ->
                        ok = net_kernel:monitor_nodes(true, [{node_type, all}]),
                        events_loop([])
                end),
    register(dg_node_events, Pid),
    ok.

events_loop(Events) ->
    receive
        {get, From} -> From ! {events, lists:reverse(Events)}, events_loop(Events);
        {Kind, Node, _Info} when Kind =:= nodeup; Kind =:= nodedown -> events_loop([{Kind, Node} | Events])
    end.

node_events() ->
    dg_node_events ! {get, self()},
    receive {events, E} -> E after 5000 -> timeout end.

%% Sends Count binaries of Size bytes to Dest from a new process; returns its pid.
send_bulk(Dest, Size, Count) ->
    Bin = binary:copy(<<7>>, Size),
    spawn(fun() -> bulk_loop(Dest, Bin, Count) end).

bulk_loop(_Dest, _Bin, 0) -> ok;
bulk_loop(Dest, Bin, N) -> Dest ! Bin, bulk_loop(Dest, Bin, N - 1).

%% A registered process that reads and drops everything: a receiver that keeps up.
start_drain(Name) ->
    Pid = spawn(fun Loop() -> receive _ -> Loop() end end),
    register(Name, Pid),
    Pid.

%% Sends Size-byte binaries to Dest until the returned pid is sent 'stop'.
send_bulk_until_stopped(Dest, Size) ->
    Bin = binary:copy(<<7>>, Size),
    spawn(fun() -> bulk_forever(Dest, Bin) end).

bulk_forever(Dest, Bin) ->
    receive stop -> ok
    after 0 -> Dest ! Bin, bulk_forever(Dest, Bin)
    end.

%% running (with its status: running, runnable, suspended, waiting) or done.
bulk_status(Pid) ->
    case process_info(Pid, status) of
        undefined -> done;
        {status, S} -> S
    end.

%% Sends a Size-byte binary through the echo server at Dest; true if it comes back intact.
big_roundtrip(Dest, Size) ->
    Bin = rand:bytes(Size),
    Reply = ask(Dest, Bin, 60000),
    Reply =:= Bin.

%% N reg_send messages to {Name, Node}.
reg_send_n(Name, Node, N) ->
    lists:foreach(fun(I) -> {Name, Node} ! {n, I} end, lists:seq(1, N)),
    ok.
