package fr.logement.gateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A gateway ({@code run}) in a process of its own, so that a test can kill it with SIGKILL and start it again. */
public final class GatewayProcess implements AutoCloseable {
    private final Process process;
    private final int managementPort;

    private GatewayProcess(Process process, int managementPort) {
        this.process = process;
        this.managementPort = managementPort;
    }

    /** Starts {@code gateway run} on {@code dataDir} with these settings; returns once /health answers 200. */
    public static GatewayProcess start(Path dataDir, Map<String, String> settings, Path output) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "fr.logement.gateway.cli.GatewayCommand",
                "run", "--data-dir", dataDir.toString()));
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        Files.createDirectories(output.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
        int port = Integer.parseInt(settings.get("gateway.management.port"));
        GatewayProcess g = new GatewayProcess(p, port);
        Instant end = Instant.now().plusSeconds(60);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        while (Instant.now().isBefore(end)) {
            if (!p.isAlive()) throw new IllegalStateException("the gateway process stopped (exit " + p.exitValue() + "): see " + output);
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return g;
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new IllegalStateException("the gateway process was not ready within 60 s: see " + output);
    }

    /** SIGKILL: no shutdown hook, nothing flushed, as when a machine dies. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }
}
