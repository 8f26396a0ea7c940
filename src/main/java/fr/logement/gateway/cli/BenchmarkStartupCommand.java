package fr.logement.gateway.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.net.ServerSocket;
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
import java.util.concurrent.Callable;

/**
 * Benchmarks start-up (not a test): launches the gateway as its own process ({@code run}, embedded defaults, free
 * ports), measures the time until its health endpoint answers UP — JVM start, configuration checked, keys, database
 * migrated, broker, routes and endpoints listening — then its resident memory at rest; first on a fresh data
 * directory, then a restart on the same one. Prints a table.
 */
@Command(name = "benchmark-startup", mixinStandardHelpOptions = true,
        description = "Measure, as a separate process, the time to ready (fresh data directory, then a restart) and the "
                + "resident memory at rest; prints a table.")
final class BenchmarkStartupCommand implements Callable<Integer> {
    @Mixin
    GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

    @Override
    public Integer call() throws Exception {
        Path data = options.dataDir != null ? options.dataDir
                : Path.of("data", "benchmarks", "startup-" + Instant.now().getEpochSecond());
        Files.createDirectories(data.toAbsolutePath().getParent());
        System.out.printf("| %-30s | %-42s | %10s | %16s |%n", "start", "JVM options", "ready in s", "RSS at rest MB");
        System.out.printf("|%s|%s|%s|%s|%n", "-".repeat(32), "-".repeat(44), "-".repeat(12), "-".repeat(18));
        int run = 0;
        for (List<String> jvm : List.of(List.<String>of(), List.of("-Xms32m", "-Xmx512m", "-XX:+UseSerialGC")))
        for (String label : new String[]{"first (fresh data directory)", "restart (same data directory)"}) {
            run++;
            Path dir = data.resolveSibling(data.getFileName() + "-" + (jvm.isEmpty() ? "default" : "small"));
            int management = freePort();
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(jvm);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GatewayCommand.class.getName(), "run",
                    "--config-dir", options.configDir.toString(), "--data-dir", dir.toString(),
                    "-D", "gateway.rest.port=" + freePort(), "-D", "gateway.soap.port=" + freePort(),
                    "-D", "gateway.management.port=" + management));
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(data.resolveSibling(data.getFileName() + "-" + run + ".log").toFile())
                    .start();
            try {
                double seconds = awaitUp(management, t0);
                Thread.sleep(3000);
                System.out.printf("| %-30s | %-42s | %10.2f | %16d |%n", label,
                        jvm.isEmpty() ? "(defaults)" : String.join(" ", jvm), seconds, rss(p.pid()) >> 20);
            } finally {
                p.destroy();
                p.waitFor();
            }
        }
        return 0;
    }

    private static double awaitUp(int port, long t0) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        long deadline = t0 + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                        .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return (System.nanoTime() - t0) / 1e9;
            } catch (java.io.IOException ignored) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the gateway was not ready within 60 s");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Resident set size of a process (Linux /proc), -1 elsewhere. */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return -1;
    }
}
