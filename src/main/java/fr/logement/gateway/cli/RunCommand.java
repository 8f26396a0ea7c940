package fr.logement.gateway.cli;

import fr.logement.gateway.Gateway;
import fr.logement.gateway.config.GatewaySettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Serves until stopped (Ctrl-C or SIGTERM), then shuts down cleanly: in-flight deliveries roll back to the queue. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start the gateway on the configured ports and serve until stopped.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

    @Override
    public Integer call() throws Exception {
        GatewaySettings settings = Launch.settings(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Gateway gateway = Gateway.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        System.out.printf("gateway ready: https://localhost:%d/api/v1/designations  health: http://127.0.0.1:%d/health%n",
                gateway.restPort(), gateway.managementPort());
        stopped.await();
        return 0;
    }
}
