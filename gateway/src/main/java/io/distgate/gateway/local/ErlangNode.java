package io.distgate.gateway.local;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A real {@code erl} node driven through the {@code dg_agent} on its stdin/stdout.
 *
 * <p>Protocol (see dg_agent.erl): the harness writes {@code <Id> <expression>.}; the agent
 * answers {@code DGAGENT <Id> ok <Value>} or {@code DGAGENT <Id> error <Class>:<Reason>},
 * with the term printed by {@code ~0tp} on one line. Every other line on stdout or stderr
 * is node log, kept in a ring of the last {@value #LOG_LINES} lines.
 */
public final class ErlangNode implements AutoCloseable {
    public static final Duration DEFAULT_EVAL_TIMEOUT = Duration.ofSeconds(30);
    static final int LOG_LINES = 2000;
    private static final int LOG_LINES_IN_ERRORS = 60;
    private static final String AGENT_PREFIX = "DGAGENT ";
    private static final String DIST_ERROR_PREFIX = AGENT_PREFIX + "dist_error ";
    private static final Duration STOP_BOUND = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final LogRing log = new LogRing(LOG_LINES);
    private final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private volatile String distributionError;

    private ErlangNode(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Processes.pump(process.getInputStream(), "erl-" + name + "-stdout", this::onStdoutLine, this::onStdoutClosed);
        Processes.pump(process.getErrorStream(), "erl-" + name + "-stderr", log::add, () -> { });
    }

    /**
     * Starts the node and waits (bounded) for the agent's ready line.
     *
     * @throws IllegalStateException with the node's log if the agent does not report in
     *     time, or if distribution failed and the options require it
     */
    public static ErlangNode start(NodeOptions options) {
        ErlangNode node = new ErlangNode(options.fullName(), Processes.start(options.processBuilder()));
        try {
            String reported = node.ready.get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (options.requireDistribution() && !reported.equals(node.name)) {
                throw new IllegalStateException("distribution did not start: " + node.distributionError);
            }
            return node;
        } catch (InterruptedException | ExecutionException | TimeoutException | IllegalStateException e) {
            node.kill();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("node " + node.name + " did not start (" + describe(e) + ")\n"
                    + node.log.tail(LOG_LINES_IN_ERRORS), e);
        }
    }

    /** The full node name, e.g. {@code a1@localhost}. */
    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** False when the node was allowed to come up without distribution and it failed. */
    public boolean isDistributed() {
        return distributionError == null;
    }

    /** Why distribution failed to start, as printed by the agent. */
    public Optional<String> distributionError() {
        return Optional.ofNullable(distributionError);
    }

    /** Evaluates Erlang expressions (one line; the final dot may be omitted) and returns the printed value. */
    public String eval(String expression) {
        return eval(expression, DEFAULT_EVAL_TIMEOUT);
    }

    public String eval(String expression, Duration timeout) {
        try {
            return evalAsync(expression, timeout).get();
        } catch (ExecutionException e) {
            // evalAsync fails only with ErlangEvalException; rethrown with this caller's stack.
            throw new ErlangEvalException((ErlangEvalException) e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErlangEvalException(failureMessage(expression, "interrupted"), "");
        }
    }

    public CompletableFuture<String> evalAsync(String expression) {
        return evalAsync(expression, DEFAULT_EVAL_TIMEOUT);
    }

    /**
     * Sends the expression and returns at once; the future fails with an
     * {@link ErlangEvalException} on an Erlang error, a timeout or the node's exit.
     */
    public CompletableFuture<String> evalAsync(String expression, Duration timeout) {
        String command = commandText(expression);
        long id = nextId.getAndIncrement();
        CompletableFuture<String> reply = new CompletableFuture<>();
        pending.put(id, reply);
        reply.whenComplete((value, failure) -> pending.remove(id));
        reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            synchronized (stdin) {
                stdin.write(id + " " + command + "\n");
                stdin.flush();
            }
        } catch (IOException e) {
            reply.completeExceptionally(e);
        }
        return reply.handle((value, failure) -> {
            if (failure == null) {
                return value;
            }
            String erlangError = failure instanceof AgentError agentError ? agentError.text : "";
            String what = failure instanceof TimeoutException ? "timed out after " + timeout
                    : failure instanceof AgentError ? "failed: " + erlangError
                    : "failed: " + failure.getMessage();
            throw new ErlangEvalException(failureMessage(command, what), erlangError);
        });
    }

    /**
     * Re-evaluates {@code expression} until its printed value satisfies {@code expected};
     * failures of single evaluations count as "not yet".
     *
     * @return the first value that satisfied {@code expected}
     * @throws AssertionError with the last value and the node's log at the deadline
     */
    public String awaitEval(String expression, Predicate<String> expected, Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        String last = "(not evaluated)";
        while (true) {
            try {
                String value = eval(expression, maxOf(deadline.remaining(), Duration.ofMillis(1)));
                if (expected.test(value)) {
                    return value;
                }
                last = value;
            } catch (ErlangEvalException e) {
                last = e.erlangError().isEmpty() ? "(no value)" : e.erlangError();
            }
            if (deadline.expired()) {
                throw new AssertionError(failureMessage(expression,
                        "did not give the expected value within " + timeout + "; last: " + last));
            }
            deadline.pauseBetweenProbes(POLL_INTERVAL);
        }
    }

    public boolean logContains(String text) {
        return log.contains(text);
    }

    /** The last {@value #LOG_LINES} log lines (agent replies excluded). */
    public List<String> logLines() {
        return log.lines();
    }

    /** Graceful stop: closing stdin makes the agent call init:stop(); SIGTERM/SIGKILL after a bound. */
    public void stop() {
        requestStop();
        if (!Processes.awaitExit(process, STOP_BOUND)) {
            Processes.terminate(process, STOP_BOUND);
        }
    }

    /** SIGKILL, as a crash would; EPMD and peers see the node's sockets close. */
    public void kill() {
        Processes.kill(process);
    }

    /** SIGSTOP: the node stops reading and ticking, as a hung or paused VM would. */
    public void suspend() {
        Processes.signal(process, "STOP");
    }

    /** SIGCONT after {@link #suspend()}. */
    public void resume() {
        Processes.signal(process, "CONT");
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }

    /** Begins a graceful stop without waiting, so a site can stop its nodes in parallel. */
    void requestStop() {
        synchronized (stdin) {
            try {
                stdin.close();
            } catch (IOException e) {
                // The pipe is already gone, so the node is exiting anyway.
            }
        }
    }

    private void onStdoutLine(String line) {
        if (line.startsWith(DIST_ERROR_PREFIX)) {
            distributionError = line.substring(DIST_ERROR_PREFIX.length());
        }
        if (!line.startsWith(AGENT_PREFIX) || !onAgentLine(line.split(" ", 4))) {
            log.add(line);
        }
    }

    /** Returns whether the line was a ready line or a reply, which are not log. */
    private boolean onAgentLine(String[] fields) {
        if (fields.length >= 3 && fields[1].equals("ready")) {
            return ready.complete(fields[2]);
        }
        if (fields.length == 4 && isId(fields[1])) {
            CompletableFuture<String> reply = pending.get(Long.parseLong(fields[1]));
            // No pending entry: the command timed out already; keep the late reply as log.
            return reply != null && (fields[2].equals("ok")
                    ? reply.complete(fields[3])
                    : reply.completeExceptionally(new AgentError(fields[3])));
        }
        return false;
    }

    private void onStdoutClosed() {
        IllegalStateException exited = new IllegalStateException("the node's stdout closed (node exited)");
        ready.completeExceptionally(exited);
        pending.values().forEach(reply -> reply.completeExceptionally(exited));
    }

    /** An {@code error} reply from the agent, carrying its {@code Class:Reason} text. */
    private static final class AgentError extends RuntimeException {
        private final String text;

        AgentError(String text) {
            super(text, null, false, false);
            this.text = text;
        }
    }

    private String failureMessage(String expression, String what) {
        return "eval on " + name + " of " + expression + " " + what + "\n" + log.tail(LOG_LINES_IN_ERRORS);
    }

    private static String commandText(String expression) {
        String text = expression.strip();
        if (text.contains("\n") || text.contains("\r")) {
            throw new IllegalArgumentException("an expression must be one line (write \\n inside strings): " + expression);
        }
        return text.endsWith(".") ? text : text + ".";
    }

    private static boolean isId(String field) {
        return !field.isEmpty() && field.chars().allMatch(Character::isDigit);
    }

    private static Duration maxOf(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof TimeoutException ? "no ready line in time" : cause.getMessage();
    }
}
