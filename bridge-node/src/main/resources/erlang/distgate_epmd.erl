%% distgate_epmd: the EPMD module for Erlang nodes whose site has a distgate gateway.
%%
%% Load it with
%%     erl ... -epmd_module distgate_epmd -pa DIR -distgate_gateway Host:Port
%% where DIR holds distgate_epmd.beam and Host:Port is the gateway's name service.
%% Instead of the VM argument the environment variable DISTGATE_GATEWAY=Host:Port may
%% name the gateway (the VM argument wins). With neither, this module behaves exactly
%% like erl_epmd. Host may be a name or an IP address; an IPv6 literal is written in
%% brackets: [::1]:4370. The query deadline (connect + reply) is -distgate_timeout
%% Millis or DISTGATE_TIMEOUT, default 2000 (also used when the value is not a
%% positive integer).
%%
%% Registration, port lookups and names go to the local EPMD through erl_epmd. Only
%% address_please/3, which OTP asks first when it dials a node, consults the gateway:
%% it sends the gateway EPMD's PORT_PLEASE2_REQ framing, but with the full node name
%% ("b1@hostB1", not just "b1"), and reads the reply until the gateway closes:
%%
%%   119, 0, Port:16, Type, Proto, High:16, Low:16, NLen:16, Name, ELen:16, Extra
%%           routed: dial the gateway's address at Port, distribution version 6
%%   119, 1  not routed by the gateway: resolve the host and ask its EPMD as usual
%%   119, 2  routed, but the node is not available at its site: fail the connect now.
%%           No fallback, because a local EPMD may hold a different node that has
%%           the same alive name.
%%
%% Any other reply, a gateway that cannot be resolved or reached, or one that misses
%% the deadline, logs one warning per kind of failure (per VM) and falls back to EPMD,
%% so local traffic never depends on the gateway.
%%
%% OTP calls address_please/3 twice per connection attempt (inet_tcp_dist:select/1 in
%% net_kernel, then the setup process), so a name service must answer repeated queries
%% for one name alike.
-module(distgate_epmd).

-export([start_link/0, register_node/2, register_node/3, port_please/2,
         port_please/3, names/1, listen_port_please/2, address_please/3]).

-define(PORT_PLEASE2_REQ, 122).
-define(PORT2_RESP, 119).
-define(ROUTED, 0).
-define(NOT_ROUTED, 1).
-define(NOT_AVAILABLE, 2).
%% OTP 25 dials with version 6 only (section 1.3 of the protocol fact sheet).
-define(DIST_VERSION, 6).
-define(DEFAULT_TIMEOUT_MS, 2000).
%% A PORT2_RESP is 14 fixed bytes plus a name and an extra field of at most 1020
%% bytes each; anything longer is not a name service reply.
-define(MAX_REPLY_BYTES, 2054).

start_link() -> erl_epmd:start_link().

register_node(Name, Port) -> erl_epmd:register_node(Name, Port).

register_node(Name, Port, Family) -> erl_epmd:register_node(Name, Port, Family).

port_please(Name, Host) -> erl_epmd:port_please(Name, Host).

port_please(Name, Host, Timeout) -> erl_epmd:port_please(Name, Host, Timeout).

names(Host) -> erl_epmd:names(Host).

listen_port_please(Name, Host) -> erl_epmd:listen_port_please(Name, Host).

address_please(Name, Host, Family) ->
    case setting(distgate_gateway, "DISTGATE_GATEWAY") of
        undefined ->
            erl_epmd:address_please(Name, Host, Family);
        Gateway ->
            FullName = Name ++ "@" ++ host_string(Host),
            case ask(Gateway, FullName, Family) of
                {routed, Ip, Port} ->
                    {ok, Ip, Port, ?DIST_VERSION};
                not_available ->
                    {error, nxdomain};
                not_routed ->
                    erl_epmd:address_please(Name, Host, Family);
                {failed, Kind, Detail} ->
                    warn_once(Kind, Gateway, FullName, Detail),
                    erl_epmd:address_please(Name, Host, Family)
            end
    end.

ask(Gateway, FullName, Family) ->
    Deadline = erlang:monotonic_time(millisecond) + timeout_ms(),
    case parse_gateway(Gateway) of
        {ok, GatewayHost, GatewayPort} ->
            case inet:getaddr(GatewayHost, Family) of
                {ok, Ip} -> query(Ip, GatewayPort, Family, FullName, Deadline);
                {error, Reason} -> {failed, unresolvable, Reason}
            end;
        error ->
            {failed, bad_config, "expected Host:Port"}
    end.

query(Ip, Port, Family, FullName, Deadline) ->
    Options = [Family, binary, {packet, 0}, {active, false}],
    case gen_tcp:connect(Ip, Port, Options, remaining(Deadline)) of
        {ok, Socket} ->
            Name = unicode:characters_to_binary(FullName),
            Request = <<(byte_size(Name) + 1):16, ?PORT_PLEASE2_REQ, Name/binary>>,
            Result = case gen_tcp:send(Socket, Request) of
                         ok -> read_until_closed(Socket, Deadline, <<>>);
                         Error -> Error
                     end,
            gen_tcp:close(Socket),
            case Result of
                {ok, Reply} -> decode(Reply, Ip);
                {error, timeout} -> {failed, timeout, reply};
                {error, Reason} -> {failed, unreachable, Reason}
            end;
        {error, timeout} ->
            {failed, timeout, connect};
        {error, Reason} ->
            {failed, unreachable, Reason}
    end.

%% Like EPMD, the name service marks the end of its reply by closing the connection.
read_until_closed(_Socket, _Deadline, Acc) when byte_size(Acc) > ?MAX_REPLY_BYTES ->
    {ok, Acc};
read_until_closed(Socket, Deadline, Acc) ->
    case remaining(Deadline) of
        0 ->
            {error, timeout};
        Millis ->
            case gen_tcp:recv(Socket, 0, Millis) of
                {ok, Data} -> read_until_closed(Socket, Deadline, <<Acc/binary, Data/binary>>);
                {error, closed} -> {ok, Acc};
                Error -> Error
            end
    end.

decode(<<?PORT2_RESP, ?ROUTED, Port:16, _Type:8, _Proto:8, _High:16, _Low:16,
         NLen:16, _Name:NLen/binary, ELen:16, _Extra:ELen/binary>>, Ip) when Port > 0 ->
    {routed, Ip, Port};
decode(<<?PORT2_RESP, ?NOT_ROUTED>>, _Ip) ->
    not_routed;
decode(<<?PORT2_RESP, ?NOT_AVAILABLE>>, _Ip) ->
    not_available;
decode(Reply, _Ip) ->
    {failed, bad_reply, binary:part(Reply, 0, min(byte_size(Reply), 32))}.

%% Failures are logged once per kind, so a gateway that stays down does not flood the
%% log with one line per connection attempt. Only names and addresses are logged.
warn_once(Kind, Gateway, FullName, Detail) ->
    Key = {?MODULE, warned, Kind},
    case persistent_term:get(Key, false) of
        true ->
            ok;
        false ->
            persistent_term:put(Key, true),
            logger:warning("distgate_epmd address_please ~ts: gateway ~ts ~w (~0tp); "
                           "using EPMD instead; further ~w failures are not logged",
                           [FullName, Gateway, Kind, Detail, Kind])
    end.

setting(Argument, EnvVar) ->
    case init:get_argument(Argument) of
        {ok, [[Value | _] | _]} -> Value;
        _ -> case os:getenv(EnvVar) of
                 false -> undefined;
                 "" -> undefined;
                 Value -> Value
             end
    end.

timeout_ms() ->
    case setting(distgate_timeout, "DISTGATE_TIMEOUT") of
        undefined -> ?DEFAULT_TIMEOUT_MS;
        Text -> case string:to_integer(Text) of
                    {Millis, ""} when Millis > 0 -> Millis;
                    _ -> ?DEFAULT_TIMEOUT_MS
                end
    end.

parse_gateway(Gateway) ->
    case string:split(Gateway, ":", trailing) of
        [Host, PortText] when Host =/= "" ->
            case string:to_integer(PortText) of
                {Port, ""} when Port > 0, Port < 65536 ->
                    {ok, string:trim(Host, both, "[]"), Port};
                _ ->
                    error
            end;
        _ ->
            error
    end.

remaining(Deadline) ->
    max(0, Deadline - erlang:monotonic_time(millisecond)).

host_string(Host) when is_tuple(Host) -> inet:ntoa(Host);
host_string(Host) when is_atom(Host) -> atom_to_list(Host);
host_string(Host) -> Host.
