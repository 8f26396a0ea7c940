package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.config.Territory;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.registry.CmsFileSignature;
import fr.logement.gateway.registry.ImportReport;
import fr.logement.gateway.registry.SharedFileImport;
import fr.logement.gateway.registry.SharedFileLayout;
import fr.logement.gateway.registry.sne.SimulatedSne;
import fr.logement.gateway.registry.sne.SneSync;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static fr.logement.gateway.e2e.GatewayHarness.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SNE synchronisation against a simulated SNE (a real SOAP 1.2 + MTOM server over mutual TLS on loopback):
 * registering ALS's requests (the NIR may go to the SNE, and only there), radiations passed on to every landlord
 * that had the request, new DALO households to ALS, and the SNE's faults — a SOAP fault half-way, a timeout — after
 * which the next run catches up without duplicates.
 */
class SneSynchronisationTest {
    @TempDir
    static Path data;
    static GatewayHarness h;
    static SimulatedSne sne;
    static final String NIR = "284058832102532";

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.start(data, Map.of("gateway.sne.receive-timeout-ms", "1500",
                "gateway.sne.sync-period-ms", "3600000", "gateway.registry.inbox-poll-ms", "3600000"));
        KeyMaterial own = h.gateway.pki().ensure("sne");
        sne = new SimulatedSne(Integer.parseInt(h.settings.get("sim.sne.port")), own, h.gateway.pki().caCertificate()).start();
    }

    @AfterAll
    static void stop() {
        if (sne != null) sne.close();
        if (h != null) h.close();
    }

    private static SneSync sync() {
        return h.gateway.sneSync();
    }

    private static List<String> allLines(String recipient, String prefix) throws IOException {
        Path dir = data.resolve("outbox/registry").resolve(recipient);
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList()) {
                out.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void alsRequestsAreRegisteredOnceWithTheNirGoingToTheSneOnly() throws Exception {
        Path inbox = data.resolve("inbox/sne");
        Files.createDirectories(inbox);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            ObjectNode r = JSON.createObjectNode().put("fileType", "CRE").put("version", 1);
            r.putObject("applicant").put("nir", NIR).put("lastName", "Martin").put("firstName", "Léa" + i)
                    .put("birthDate", "1984-05-12");
            r.putObject("request").putArray("wishedCommunes").add("92050");
            r.putObject("handicap").put("nature", "confidentiel");
            r.put("unknownField", "dropped by default deny");
            b.append(JSON.writeValueAsString(r)).append('\n');
        }
        Files.writeString(inbox.resolve("als-1.jsonl"), b.toString());
        SneSync.Report r = sync().run();
        assertEquals("DONE", r.outcome(), r.text());
        assertEquals(3, r.registered());
        assertEquals(3, sne.requests().size());
        JsonNode atSne = sne.requests().values().iterator().next().request();
        assertEquals(NIR, atSne.at("/applicant/nir").asText(), "the SNE holds the NIR");
        assertTrue(atSne.path("unknownField").isMissingNode(), "default deny towards the SNE too");
        List<String> numbers = allLines("als", "sne-numbers-");
        assertEquals(3, numbers.size());
        for (String l : numbers) assertFalse(l.contains(NIR));

        assertEquals(0, sync().run().registered(), "the file was taken once");
        assertEquals(3, sne.requests().size());
    }

    @Test
    void radiationsReachEarlierRecipientsAndDaloHouseholdsReachAlsOnce() throws Exception {
        // A request imported from a shared file reached the Rhône landlord.
        Territory territory = Territory.load(Path.of("config/reference"));
        SharedFileLayout layout = SharedFileLayout.load(Path.of("schemas/departmental-shared-file-v1.yaml"), territory);
        Path f = data.resolve("sne-cre.csv");
        Files.writeString(f, String.join(";", layout.header()) + "\n" + String.join(";", "CRE", "", "69SNE000000001", "1",
                "01/02/2025", "G1", NIR, "1", "Durand", "Léa", "03/04/1990", "", "", "", "", "", "3", "", "", "", "69123", "T3",
                "N", "", "", "") + "\n");
        Files.write(f.resolveSibling("sne-cre.csv.p7s"), CmsFileSignature.sign(f, h.gateway.pki().ensure("fichier-partage-92")));
        ImportReport imported = h.gateway.sharedFileImport().run(f, "fichier-partage-92", new SharedFileImport.Progress() { });
        assertEquals(1L, imported.sentPerRecipient().get("bailleur-lyon-demo"));

        sne.radiate("69SNE000000001", 2, LocalDate.now(), "ATT");
        sne.recogniseDalo("92SNE000000042", LocalDate.now(), "92");
        SneSync.Report first = sync().run();
        assertEquals("DONE", first.outcome(), first.text());
        assertTrue(first.radiations() >= 1, first.text());
        assertTrue(first.dalo() >= 1, first.text());
        List<String> lyon = allLines("bailleur-lyon-demo", "sne-");
        assertEquals(1, lyon.stream().filter(l -> l.contains("69SNE000000001")).count(), lyon.toString());
        assertTrue(lyon.get(0).contains("\"RAD\""));
        for (String l : lyon) assertFalse(l.contains(NIR));
        assertEquals(1, allLines("als", "sne-dalo-").stream().filter(l -> l.contains("92SNE000000042")).count());

        SneSync.Report second = sync().run();
        assertEquals(0, second.radiations(), "nothing passed on twice");
        assertEquals(0, second.dalo());
    }

    @Test
    void aFaultHalfWayThenATimeoutAreCaughtUpWithoutDuplicates() throws Exception {
        sne.radiate("75SNE000000007", 3, LocalDate.now(), "ABA");
        sne.recogniseDalo("75SNE000000008", LocalDate.now(), "75");
        // The radiations call succeeds, the DALO call gets a SOAP fault: the run stops half-way.
        sne.fail(SimulatedSne.Fault.SOAP_FAULT, 1, 1);
        SneSync.Report broken = sync().run();
        assertEquals("FAILED", broken.outcome());
        assertTrue(broken.error().contains("SNE-503"), broken.error());
        // The SNE answers too slowly: the client gives up at its receive timeout.
        sne.slowBy(3_000);
        sne.fail(SimulatedSne.Fault.SLOW, 1, 0);
        SneSync.Report slow = sync().run();
        assertEquals("FAILED", slow.outcome());
        assertEquals("timed out", slow.error());
        // Back to normal: the window is fetched again; the radiation is not passed on twice, the DALO household once.
        SneSync.Report ok = sync().run();
        assertEquals("DONE", ok.outcome(), ok.text());
        assertEquals(1, allLines("als", "sne-dalo-").stream().filter(l -> l.contains("75SNE000000008")).count());
        assertEquals(1, allLines("als", "sne-").stream().filter(l -> l.contains("75SNE000000007")).count());
    }
}
