%% Prints the packet-body vectors pasted into
%% bridge-node/src/test/java/io/distgate/bridge/etf/OtpVectors.java.
%%
%% Run on OTP 25 with a distributed node so pids and references carry a real
%% node name and creation (NEW_PID_EXT, NEWER_REFERENCE_EXT):
%%
%%   erlc control_vectors.erl && \
%%   erl -sname x@localhost -noshell -s control_vectors main -s init stop
%%
%% Terms are encoded with minor_version 2 (UTF-8 atom tags, as the distribution
%% encoder writes them) unless a vector says otherwise. Hand-built vectors cover
%% tags OTP 25 no longer writes; each must decode with binary_to_term/2 using every byte.
-module(control_vectors).
-export([main/0]).

-define(M2, [{minor_version, 2}]).

main() ->
    ok = io:setopts([{encoding, unicode}]),
    From = self(),
    To = spawn(fun() -> receive stop -> ok end end),
    Ref = make_ref(),
    Alias = alias(),
    Port = open_port({spawn, "cat"}, []),
    Gl = group_leader(),
    seq_trace:set_token(label, 42),
    seq_trace:set_token(serial, {6, 7}),
    Token = seq_trace:get_token(),
    seq_trace:set_token([]),
    Fun = fun() -> ok end,
    Closure = fun(X) -> {X, To} end,
    Deep = lists:foldl(fun(_, Acc) -> {Acc} end, leaf, lists:seq(1, 40)),
    Vectors = [
      {"LINK", "{1, From, To}", {1, From, To}, none},
      {"SEND", "{2, '', To} + {hello, <<\"world\">>, 1.5}",
       {2, '', To}, {hello, <<"world">>, 1.5}},
      {"EXIT", "{3, From, To, {badarg, [{lists, map, 2, [{file, \"lists.erl\"}, {line, 1243}]}, {shell, eval, 3, []}]}}: stack-trace reason (STRING_EXT, LIST_EXT, NIL_EXT)",
       {3, From, To, {badarg, [{lists, map, 2, [{file, "lists.erl"}, {line, 1243}]},
                               {shell, eval, 3, []}]}}, none},
      {"UNLINK", "{4, From, To}", {4, From, To}, none},
      {"NODE_LINK", "{5}", {5}, none},
      {"REG_SEND", "{6, From, '', rex} + {'$gen_call', {From, Ref}, {call, erlang, node, [], Gl}}",
       {6, From, '', rex}, {'$gen_call', {From, Ref}, {call, erlang, node, [], Gl}}},
      {"GROUP_LEADER", "{7, From, To}", {7, From, To}, none},
      {"EXIT2", "{8, From, To, kill}", {8, From, To, kill}, none},
      {"SEND_TT", "{12, '', To, Token} + ping; Token = seq_trace token {Flags, 42, 7, From, 6}",
       {12, '', To, Token}, ping},
      {"EXIT_TT", "{13, From, To, Token, {shutdown, #{reason => timeout, after_ms => 5000, peers => [To]}}}: map reason",
       {13, From, To, Token, {shutdown, #{reason => timeout, after_ms => 5000, peers => [To]}}}, none},
      {"REG_SEND_TT", "{16, From, '', net_kernel, Token} + {is_auth, x@localhost}",
       {16, From, '', net_kernel, Token}, {is_auth, node()}},
      {"EXIT2_TT", "{18, From, To, Token, {badarith, [1.5, -2.25e-300]}}: NEW_FLOAT_EXT",
       {18, From, To, Token, {badarith, [1.5, -2.25e-300]}}, none},
      {"MONITOR_P", "{19, From, some_server, Ref}: monitor by registered name",
       {19, From, some_server, Ref}, none},
      {"DEMONITOR_P", "{20, From, To, Ref}", {20, From, To, Ref}, none},
      {"MONITOR_P_EXIT", "{21, To, From, Ref, noproc}", {21, To, From, Ref, noproc}, none},
      {"SEND_SENDER", "{22, From, To} + #{op => put, key => <<\"k\">>, value => [1, 2, 3]}",
       {22, From, To}, #{op => put, key => <<"k">>, value => [1, 2, 3]}},
      {"SEND_SENDER_TT", "{23, From, To, Token} + {ping, 1}", {23, From, To, Token}, {ping, 1}},
      {"PAYLOAD_EXIT", "{24, From, To} + {badfun, fun(X) -> {X, To} end}",
       {24, From, To}, {badfun, Closure}},
      {"PAYLOAD_EXIT_TT", "{25, From, To, Token} + normal", {25, From, To, Token}, normal},
      {"PAYLOAD_EXIT2", "{26, From, To} + kill", {26, From, To}, kill},
      {"PAYLOAD_EXIT2_TT", "{27, From, To, Token} + {shutdown, brutal}",
       {27, From, To, Token}, {shutdown, brutal}},
      {"PAYLOAD_MONITOR_P_EXIT", "{28, some_server, From, Ref} + noconnection",
       {28, some_server, From, Ref}, noconnection},
      {"SPAWN_REQUEST", "{29, Ref, From, Gl, {lists, map, 2}, [link, monitor]} + [fun lists:reverse/1, [[1, 2]]]",
       {29, Ref, From, Gl, {lists, map, 2}, [link, monitor]}, [fun lists:reverse/1, [[1, 2]]]},
      {"SPAWN_REQUEST_TT", "{30, Ref, From, Gl, {erlang, apply, 2}, [{priority, high}], Token} + [fun lists:map/2, []]",
       {30, Ref, From, Gl, {erlang, apply, 2}, [{priority, high}], Token}, [fun lists:map/2, []]},
      {"SPAWN_REPLY", "{31, Ref, From, 3, To}", {31, Ref, From, 3, To}, none},
      {"SPAWN_REPLY_TT", "{32, Ref, From, 0, system_limit, Token}",
       {32, Ref, From, 0, system_limit, Token}, none},
      {"ALIAS_SEND", "{33, From, Alias} + {reply, ok}", {33, From, Alias}, {reply, ok}},
      {"ALIAS_SEND_TT", "{34, From, Alias, Token} + {reply, ok}", {34, From, Alias, Token}, {reply, ok}},
      {"UNLINK_ID", "{35, 18446744073709551615, From, To}: Id is a SMALL_BIG_EXT",
       {35, 18446744073709551615, From, To}, none},
      {"UNLINK_ID_ACK", "{36, 7, From, To}", {36, 7, From, To}, none},
      {"ALTACT_SIG_SEND", "{37, 9, From, logger} + {log, info}: priority signal to a registered name",
       {37, 9, From, logger}, {log, info}},
      {"ALTACT_SIG_SEND_TT", "{37, 6, From, Alias, Token} + {reply, ok}: token present, alias target",
       {37, 6, From, Alias, Token}, {reply, ok}},
      %% Control fields exercising the remaining tags.
      {"EXIT_FUN_REASON", "{3, From, To, {badfun, fun() -> ok end, fun lists:map/2}}: NEW_FUN_EXT, EXPORT_EXT",
       {3, From, To, {badfun, Fun, fun lists:map/2}}, none},
      {"EXIT_BIT_BINARY", "{3, From, To, {bad_bits, <<5:3>>, <<\"bin\">>}}: BIT_BINARY_EXT, BINARY_EXT",
       {3, From, To, {bad_bits, <<5:3>>, <<"bin">>}}, none},
      {"EXIT_BIGS", "{3, From, To, {too_big, 1 bsl 2100, -(1 bsl 70)}}: LARGE_BIG_EXT, negative SMALL_BIG_EXT",
       {3, From, To, {too_big, 1 bsl 2100, -(1 bsl 70)}}, none},
      {"EXIT_IMPROPER_LIST", "{3, From, To, {improper, [a, b | c]}}",
       {3, From, To, {improper, [a, b | c]}}, none},
      {"EXIT_UNICODE_ATOMS", "{3, From, To, {'héllo_мир', 'яя…я' (200 × я)}}: SMALL_ATOM_UTF8_EXT and ATOM_UTF8_EXT (400 bytes)",
       {3, From, To, {list_to_atom("héllo_мир"), list_to_atom(lists:duplicate(200, 16#44F))}}, none},
      {"EXIT_LARGE_TUPLE", "{3, From, To, list_to_tuple(lists:seq(1, 300))}: LARGE_TUPLE_EXT, INTEGER_EXT",
       {3, From, To, list_to_tuple(lists:seq(1, 300))}, none},
      {"EXIT_DEEP_REASON", "{3, From, To, {{{...{leaf}...}}}}: reason nested 40 tuples deep",
       {3, From, To, Deep}, none},
      {"EXIT_FROM_PORT", "{3, Port, To, normal}: NEW_PORT_EXT", {3, Port, To, normal}, none}
    ],
    [print(Name, op_name(element(1, Ctrl)), Comment, term_to_binary(Ctrl, ?M2), payload(Msg))
     || {Name, Comment, Ctrl, Msg} <- Vectors],
    Node = atom_to_binary(node()),
    NodeAtom = <<119, (byte_size(Node)), Node/binary>>,
    ToBin = strip(term_to_binary(To, ?M2)),
    FromBin = strip(term_to_binary(From, ?M2)),
    Hand = [
      {"EXIT_LATIN1_ATOMS", "{3, From, To, {abc, 'ÿö'}} with minor_version 1: ATOM_EXT (Latin-1)",
       term_to_binary({3, From, To, {abc, list_to_atom([16#ff, 16#f6])}}, [{minor_version, 1}])},
      {"EXIT_OLD_FLOAT", "{3, From, To, {badarith, 1.5}} with minor_version 0: FLOAT_EXT (31-byte text)",
       term_to_binary({3, From, To, {badarith, 1.5}}, [{minor_version, 0}])},
      {"LINK_LARGE_TUPLE", "hand-built {1, From, To} as LARGE_TUPLE_EXT",
       <<131, 105, 3:32, 97, 1, FromBin/binary, ToBin/binary>>},
      {"LINK_INTEGER_OP", "hand-built {1, From, To} with the op as INTEGER_EXT",
       <<131, 104, 3, 98, 1:32, FromBin/binary, ToBin/binary>>},
      {"EXIT_LEGACY_IDS", "hand-built {3, PID_EXT, To, {PORT_EXT, REFERENCE_EXT, NEW_REFERENCE_EXT, V4_PORT_EXT, SMALL_ATOM_EXT}}",
       <<131, 104, 4, 97, 3,
         103, NodeAtom/binary, 85:32, 0:32, 1,
         ToBin/binary,
         104, 5,
         102, NodeAtom/binary, 8:32, 1,
         101, NodeAtom/binary, 1234:32, 1,
         114, 3:16, NodeAtom/binary, 1, 1:32, 2:32, 3:32,
         120, NodeAtom/binary, (1 bsl 40):64, 1:32,
         115, 6, "legacy">>},
      {"UNKNOWN_OP", "hand-built {99, a, [1]}: op code without a ControlOp",
       <<131, 104, 3, 97, 99, 119, 1, $a, 108, 1:32, 97, 1, 106>>}
    ],
    [print(Name, op_name(element(1, decode_whole(Bin))), Comment, Bin, <<>>)
     || {Name, Comment, Bin} <- Hand],
    To ! stop,
    ok.

payload(none) -> <<>>;
payload(Msg) -> term_to_binary(Msg, ?M2).

strip(<<131, Rest/binary>>) -> Rest.

%% binary_to_term/1 ignores trailing bytes; a hand-built vector must be exactly one term.
decode_whole(Bin) ->
    Size = byte_size(Bin),
    {Term, Size} = binary_to_term(Bin, [used]),
    Term.

%% Names from the control message table (erl_dist_protocol, "Protocol between
%% Connected Nodes"); anything else is expected to classify as UNKNOWN.
op_name(Code) ->
    Names = #{1 => "LINK", 2 => "SEND", 3 => "EXIT", 4 => "UNLINK", 5 => "NODE_LINK",
              6 => "REG_SEND", 7 => "GROUP_LEADER", 8 => "EXIT2", 12 => "SEND_TT",
              13 => "EXIT_TT", 16 => "REG_SEND_TT", 18 => "EXIT2_TT", 19 => "MONITOR_P",
              20 => "DEMONITOR_P", 21 => "MONITOR_P_EXIT", 22 => "SEND_SENDER",
              23 => "SEND_SENDER_TT", 24 => "PAYLOAD_EXIT", 25 => "PAYLOAD_EXIT_TT",
              26 => "PAYLOAD_EXIT2", 27 => "PAYLOAD_EXIT2_TT", 28 => "PAYLOAD_MONITOR_P_EXIT",
              29 => "SPAWN_REQUEST", 30 => "SPAWN_REQUEST_TT", 31 => "SPAWN_REPLY",
              32 => "SPAWN_REPLY_TT", 33 => "ALIAS_SEND", 34 => "ALIAS_SEND_TT",
              35 => "UNLINK_ID", 36 => "UNLINK_ID_ACK", 37 => "ALTACT_SIG_SEND"},
    maps:get(Code, Names, "UNKNOWN").

print(Name, Op, Comment, Ctrl, Payload) ->
    io:format("~n    /** ~ts */~n    static final Vector ~s = vector(\"~s\", ControlOp.~s,~n~s,~n~s);~n",
              [Comment, Name, Name, Op, hex(Ctrl), hex(Payload)]).

hex(<<>>) -> "            \"\"";
hex(Bin) ->
    Hex = binary:encode_hex(Bin),
    Lines = chunks(Hex, 96),
    lists:join(" +\n", ["            \"" ++ binary_to_list(L) ++ "\"" || L <- Lines]).

chunks(Bin, N) when byte_size(Bin) =< N -> [Bin];
chunks(Bin, N) -> <<H:N/binary, T/binary>> = Bin, [H | chunks(T, N)].
