package fr.logement.gateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server on loopback for tests: Debian's binaries ({@code postgresql}, installed by .ci/run),
 * a throw-away cluster with trust authentication, run as the {@code postgres} user when the tests run as root
 * (PostgreSQL refuses to run as root). Can be stopped and started again to show an outage.
 */
public final class LocalPostgres implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private LocalPostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Initialises a cluster with a database {@code gateway} and starts it. */
    public static LocalPostgres start() throws Exception {
        Path bin = findBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("gateway-pg-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        LocalPostgres pg = new LocalPostgres(bin, dir, TestPorts.free(), root);
        pg.run("initdb", "-D", dir.resolve("cluster").toString(), "-U", "gateway", "-A", "trust", "-E", "UTF8",
                "--no-sync");
        pg.startServer();
        pg.run("createdb", "-h", "127.0.0.1", "-p", Integer.toString(pg.port), "-U", "gateway", "gateway");
        return pg;
    }

    private static Path findBinaries() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(base)) {
            try (Stream<Path> versions = Files.list(base)) {
                var found = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.naturalOrder());
                if (found.isPresent()) return found.get();
            }
        }
        throw new IllegalStateException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb): "
                + "run .ci/run once, or apt-get install postgresql");
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/gateway";
    }

    /** Starts (or starts again) the server; returns when it accepts connections. */
    public void startServer() throws Exception {
        run("pg_ctl", "-D", dir.resolve("cluster").toString(), "-l", dir.resolve("server.log").toString(), "-w",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    /** Stops the server at once (open connections are cut), as in an outage. */
    public void stopServer() throws Exception {
        run("pg_ctl", "-D", dir.resolve("cluster").toString(), "-m", "immediate", "-w", "stop");
    }

    private void run(String tool, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        cmd.add(bin.resolve(tool).toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(tool + " failed (" + cmd + "): " + out);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            stopServer();
        } catch (Exception alreadyStopped) {
            // nothing to stop
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
