package fr.logement.gateway.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's standalone broker (command {@code broker}) started as a process of its own on loopback, as
 * several gateway instances would share it.
 */
public final class BrokerProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private BrokerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static BrokerProcess start(Path dataDir) throws Exception {
        int port = TestPorts.free();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "fr.logement.gateway.cli.GatewayCommand",
                "broker", "--port", Integer.toString(port), "--data-dir", dataDir.toString(),
                "-Dgateway.delivery.max-attempts=4", "-Dgateway.delivery.redelivery-delay-ms=200",
                "-Dgateway.delivery.max-redelivery-delay-ms=1000");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("broker ready")) {
                        Thread drain = new Thread(() -> {
                            try {
                                while (out.readLine() != null) { /* keep the pipe flowing */ }
                            } catch (Exception ignored) {
                                // the process ended
                            }
                        }, "broker-process-output");
                        drain.setDaemon(true);
                        drain.start();
                        return true;
                    }
                }
            } catch (Exception e) {
                return false;
            }
            return false;
        });
        if (!Boolean.TRUE.equals(ready.get(60, TimeUnit.SECONDS))) {
            p.destroyForcibly();
            throw new IllegalStateException("the broker process did not start (exit " + p.waitFor() + ")");
        }
        return new BrokerProcess(p, port);
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
