package io.distgate.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code distgate}: the gateway's command line. */
@Command(name = "distgate", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Links Erlang/Elixir clusters across sites through one gateway per site.",
        subcommands = {RunCommand.class, CheckCommand.class, StatusCommand.class, DemoCommand.class, ShimCommand.class, CertsCommand.class, SshKeysCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("distgate: " + e.getMessage());
            return 2;
        });
        return cli.execute(args);
    }
}
