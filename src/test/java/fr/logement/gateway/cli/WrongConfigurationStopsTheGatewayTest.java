package fr.logement.gateway.cli;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code gateway run} with one wrong entry in a copy of the shipped configuration: start-up stops with exit code 2
 * and a message naming the file, the entry and the problem, before anything listens or is created.
 */
class WrongConfigurationStopsTheGatewayTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}: {3}")
    @CsvSource(delimiter = '|', value = {
            "partners.yaml  | 'siren: \"552100554\"'        | 'siren: \"552100555\"'        | partners[1] (bailleur-soap-demo).siren",
            "partners.yaml  | 'protocol: soap'              | 'protocol: ftp'               | partners[1] (bailleur-soap-demo).protocol",
            "grants.yaml    | 'landlord:\n    designation:\n' | 'landlord:\n    designation:\n      nir: all\n' | landlord.designation.nir",
            "catalogue.yaml | ': identity'                  | ': identiy'                   | unknown category",
            "retention.yaml | '  score:               {keep: P1M' | '  score:               {keep: 1M' | categories.score.keep",
    })
    void startUpStopsAndNamesTheProblem(String file, String from, String to, String expected) throws Exception {
        Path config = dir.resolve("config");
        copy(Path.of("config"), config);
        Path target = config.resolve(file);
        String text = Files.readString(target);
        String f = from.replace("\\n", "\n");
        assertTrue(text.contains(f), file + " still holds " + from);
        Files.writeString(target, text.replaceFirst(java.util.regex.Pattern.quote(f),
                java.util.regex.Matcher.quoteReplacement(to.replace("\\n", "\n"))));
        Path data = dir.resolve("data");
        int port = fr.logement.gateway.testing.TestPorts.free();

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = GatewayCommand.execute("run", "--config-dir", config.toString(), "--data-dir", data.toString(),
                    "-D", "gateway.rest.port=" + port, "-D", "gateway.management.port=" + port);
        } finally {
            System.setErr(saved);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, message);
        assertTrue(message.startsWith("configuration error: " + file + ": "), message);
        assertTrue(message.contains(expected), message);
        assertFalse(Files.exists(data.resolve("broker")), "nothing was started");
        try (ServerSocket s = new ServerSocket(port)) {
            assertEquals(port, s.getLocalPort(), "nothing listens");
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }
}
