package io.distgate.gateway.cli;

import io.distgate.gateway.Gateway;
import io.distgate.gateway.config.ConfigLoader;
import io.distgate.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code distgate run --config FILE}: the gateway, until SIGTERM or SIGINT. */
@Command(name = "run", description = "Run the gateway with a configuration file.")
final class RunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "YAML configuration file")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig cfg = ConfigLoader.load(config);
        Gateway gateway = Gateway.start(cfg);
        gateway.logReady();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
