package fr.logement.gateway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gateway demo} on a fresh data directory plays the whole scenario and exits 0. */
class DemoRunsTheWholeFlowTest {
    @TempDir
    Path data;

    private static String port() throws Exception {
        return Integer.toString(fr.logement.gateway.testing.TestPorts.free());
    }

    @Test
    void theDemoDeliversReceiptsAndReportsBack() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            code = GatewayCommand.execute("demo", "--data-dir", data.toString(),
                    "-D", "gateway.rest.host=127.0.0.1", "-D", "gateway.rest.port=" + port(),
                    "-D", "gateway.soap.host=127.0.0.1", "-D", "gateway.soap.port=" + port(),
                    "-D", "gateway.management.port=" + port(), "-D", "gateway.broker.vm-id=77",
                    "-D", "sim.soap.port=" + port(), "-D", "sim.rest.port=" + port());
        } finally {
            System.setOut(saved);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        assertTrue(printed.contains("demo: OK"), printed);
        assertTrue(printed.contains("decision history: caleol_decision(allocated_rank_1)"), printed);
        assertTrue(printed.matches("(?s).*employer fetches its report for \\d{4}-\\d{2} -> 200 fewer than 5 \\(signed: yes\\).*"), printed);
        assertTrue(printed.matches("(?s).*bailleur-soap-demo\\s+1\\s+none\\s+none.*"), printed);
        assertTrue(printed.matches("(?s).*bailleur-rest-demo\\s+1\\s+none\\s+none.*"), printed);
    }
}
