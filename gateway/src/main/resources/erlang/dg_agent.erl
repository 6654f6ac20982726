%% dg_agent: remote control for an Erlang node under the distgate test harness.
%%
%% Started with: erl -noshell -s dg_agent start [-dg_name Name -dg_name_domain D]
%%
%% The node is started without -sname/-name; this agent starts distribution itself
%% with net_kernel:start/2 from -dg_name (a full node name) and -dg_name_domain
%% (shortnames | longnames). A node whose distribution cannot start (EPMD down,
%% name taken, bad EPMD module) then still comes up and can be asked why, where a
%% boot-time -sname would halt the VM before anything could report.
%%
%% Line protocol, UTF-8, one line per message:
%%   agent -> harness, once at start:
%%       DGAGENT dist_error <Reason>     only if distribution was asked for and failed
%%       DGAGENT ready <node()>
%%   harness -> agent (stdin):
%%       <Id> <Erlang expressions ending with a dot>
%%   agent -> harness (stdout), one line per command, in completion order:
%%       DGAGENT <Id> ok <Value>
%%       DGAGENT <Id> error <Class>:<Reason>
%% Every command runs in a process of its own, so commands may block concurrently.
%% Terms are printed with "~0tp": the pretty printer on one line (line length 0),
%% so strings and binaries are readable and their control characters escaped (\n).
%% Closing stdin stops the node: a harness that dies leaves no node behind.
-module(dg_agent).

-export([start/0]).

%% If init:stop/0 hangs (an application refusing to stop), halt anyway.
-define(STOP_GRACE_MS, 5000).

start() ->
    %% -s functions run during boot; the agent needs a process of its own.
    _ = spawn(fun run/0),
    ok.

run() ->
    ok = io:setopts(standard_io, [{encoding, unicode}]),
    case start_distribution() of
        ok -> ok;
        {error, Reason} -> emit(["DGAGENT dist_error ", one_line(Reason)])
    end,
    emit(["DGAGENT ready ", atom_to_list(node())]),
    read_commands().

start_distribution() ->
    case {init:get_argument(dg_name), init:get_argument(dg_name_domain)} of
        {{ok, [[Name]]}, {ok, [[Domain]]}} ->
            Options = #{name_domain => list_to_atom(Domain)},
            case net_kernel:start(list_to_atom(Name), Options) of
                {ok, _Pid} -> ok;
                {error, Reason} -> {error, Reason}
            end;
        _ ->
            ok
    end.

read_commands() ->
    case io:get_line(standard_io, "") of
        eof ->
            stop_node();
        {error, _} ->
            stop_node();
        Line ->
            case string:split(string:trim(Line, trailing, "\r\n"), " ") of
                [Id, Text] -> spawn(fun() -> emit(["DGAGENT ", Id, " " | evaluate(Text)]) end);
                _ -> emit(["DGAGENT - error error:", one_line({bad_command, Line})])
            end,
            read_commands()
    end.

stop_node() ->
    _ = spawn(fun() -> receive after ?STOP_GRACE_MS -> erlang:halt(1) end end),
    init:stop().

evaluate(Text) ->
    try
        ["ok ", one_line(eval_string(Text))]
    catch
        Class:Reason ->
            ["error ", atom_to_list(Class), ":", one_line(Reason)]
    end.

eval_string(Text) ->
    case erl_scan:string(Text) of
        {ok, Tokens, _End} ->
            case erl_parse:parse_exprs(Tokens) of
                {ok, Exprs} ->
                    {value, Value, _Bindings} = erl_eval:exprs(Exprs, erl_eval:new_bindings()),
                    Value;
                {error, {_Location, Module, Message}} ->
                    error({parse_error, lists:flatten(Module:format_error(Message))})
            end;
        {error, {_Location, Module, Message}, _End} ->
            error({scan_error, lists:flatten(Module:format_error(Message))})
    end.

one_line(Term) ->
    io_lib:format("~0tp", [Term]).

%% One io request per line, so lines written by concurrent commands never interleave.
emit(Line) ->
    io:put_chars(standard_io, [Line, $\n]).
