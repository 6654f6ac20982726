%% A small gen_server for cross-site gen_server:call tests.
-module(dg_counter).
-behaviour(gen_server).
-export([start/1, init/1, handle_call/3, handle_cast/2]).

start(Name) ->
    gen_server:start({local, Name}, ?MODULE, 0, []).

init(Count) ->
    {ok, Count}.

handle_call({add, N}, _From, Count) ->
    {reply, {count, Count + N, node()}, Count + N};
handle_call(crash, _From, _Count) ->
    error(asked_to_crash).

handle_cast(_Msg, Count) ->
    {noreply, Count}.
