package fr.logement.gateway.cli;

import fr.logement.gateway.broker.Broker;
import fr.logement.gateway.config.GatewaySettings;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * A broker of its own for several gateway instances: Artemis with the gateway's durable queues, redelivery and
 * dead-letter settings, in its own process. Each instance then sets gateway.broker.url=tcp://HOST:PORT.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run a standalone Artemis broker for several gateway instances (the gateway's queues, "
                + "redelivery and dead letters), until stopped.")
final class BrokerCommand implements Callable<Integer> {
    @Mixin
    GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "61616", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--journal-dir", description = "Where the broker keeps its messages (default: DATA_DIR/broker-server).")
    Path journalDir;

    @Override
    public Integer call() throws Exception {
        GatewaySettings settings = Launch.settings(options);
        Path dir = journalDir != null ? journalDir : settings.dataDir().resolve("broker-server");
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedActiveMQ server = Broker.serve(settings, dir, host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                System.err.println("broker stop: " + e.getMessage());
            }
            stopped.countDown();
        }, "broker-shutdown"));
        System.out.printf("broker ready: tcp://%s:%d (journal %s)%n", host, port, dir);
        stopped.await();
        return 0;
    }
}
