package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.config.Territory;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.registry.CmsFileSignature;
import fr.logement.gateway.registry.ImportReport;
import fr.logement.gateway.registry.SharedFileImport;
import fr.logement.gateway.registry.SharedFileLayout;
import fr.logement.gateway.registry.SyntheticRequests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static fr.logement.gateway.e2e.GatewayHarness.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Departmental shared files through the real gateway (H2, demo PKI, Bouncy Castle CMS): signatures checked before
 * any record is read, bad records rejected while the others proceed, territory routing with the Île-de-France
 * région rule, idempotent re-import, crash and resume without duplicates, radiation propagation, and no NIR or
 * handicap nature in anything a landlord receives.
 */
class SharedFileImportTest {
    static final String SENDER = "fichier-partage-92";
    @TempDir
    static Path data;
    @TempDir
    Path work;
    static GatewayHarness h;
    static SharedFileLayout layout;
    static Territory territory;

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.start(data, Map.of("gateway.registry.chunk-records", "300",
                "gateway.registry.inbox-poll-ms", "3600000"));
        territory = Territory.load(Path.of("config/reference"));
        layout = SharedFileLayout.load(Path.of("schemas/departmental-shared-file-v1.yaml"), territory);
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    private static SharedFileImport importer() {
        return h.gateway.sharedFileImport();
    }

    private Path signed(Path file, String signer) throws IOException {
        KeyMaterial k = h.gateway.pki().ensure(signer);
        Files.write(file.resolveSibling(file.getFileName() + ".p7s"), CmsFileSignature.sign(file, k));
        return file;
    }

    private Path synthetic(String name, long seed, long records, int brokenEvery, List<String> deps) throws IOException {
        Path f = work.resolve(name);
        new SyntheticRequests(seed, territory, deps).write(f, layout, records, brokenEvery);
        return signed(f, SENDER);
    }

    private static List<String> lines(Path p) throws IOException {
        return Files.exists(p) ? Files.readAllLines(p, StandardCharsets.UTF_8) : List.of();
    }

    private static ImportReport run(Path f) throws IOException {
        return importer().run(f, SENDER, new SharedFileImport.Progress() { });
    }

    @Test
    void aSignedFileIsImportedRoutedByTerritoryFilteredAndReported() throws Exception {
        SyntheticRequests gen = new SyntheticRequests(11, territory, List.of("92", "69", "13"));
        Path f = work.resolve("batch-1.csv");
        gen.write(f, layout, 2_000, 97);
        signed(f, SENDER);
        ImportReport r = run(f);

        assertEquals("IMPORTED", r.outcome(), r.text());
        assertEquals(2_000, r.read());
        assertEquals(20, r.rejected(), "one broken record in 97: " + r.text());
        assertEquals(r.read() - r.rejected() - r.duplicates(), r.valid());
        String digest = r.fileDigest();
        List<String> als = lines(importer().outbox("als", digest));
        assertEquals(r.valid(), als.size(), "ALS gets every valid record");
        assertEquals(r.sentPerRecipient().get("als"), (Long) (long) als.size());

        // Territory: the Rhône landlord gets only requests wishing a Rhône commune; the Val-de-Marne landlord gets
        // Hauts-de-Seine requests through the Île-de-France région rule; Bouches-du-Rhône requests reach ALS only.
        List<String> lyon = lines(importer().outbox("bailleur-lyon-demo", digest));
        List<String> valDeMarne = lines(importer().outbox("bailleur-rest-demo", digest));
        assertFalse(lyon.isEmpty());
        assertFalse(valDeMarne.isEmpty());
        for (String l : lyon) assertTrue(wishes(l, "69"), l);
        for (String l : valDeMarne) assertTrue(wishes(l, "92"), "IDF rule: " + l);
        long onlyBdr = als.stream().filter(l -> wishes(l, "13") && !wishes(l, "92") && !wishes(l, "69")).count();
        assertTrue(onlyBdr > 0);
        assertEquals(als.size() - onlyBdr, Set.copyOf(concat(lines(importer().outbox("bailleur-soap-demo", digest)), lyon)).size(),
                "every record wishing 92 or 69 reached a landlord, the others none");

        // What a landlord receives: no NIR, no handicap nature; ALS: no NIR either.
        for (String recipient : List.of("bailleur-lyon-demo", "bailleur-rest-demo", "bailleur-soap-demo", "als")) {
            String all = String.join("\n", lines(importer().outbox(recipient, digest)));
            for (String nir : gen.nirsUsed()) assertFalse(all.contains(nir), "NIR leaked to " + recipient);
            assertFalse(all.contains("\"nir\""), recipient);
            if (!recipient.equals("als")) assertFalse(all.contains(SyntheticRequests.HANDICAP_MARKER), recipient);
        }
        assertTrue(String.join("\n", als).contains(SyntheticRequests.HANDICAP_MARKER), "ALS may know the handicap nature");

        // The rejects report names record, line, field and reason — never a value.
        List<String> rejects = lines(Path.of(r.rejectsFile()));
        assertEquals("record;line;field;reason", rejects.get(0));
        assertTrue(rejects.stream().anyMatch(l -> l.contains(";NIR;not a valid NIR")), rejects.toString());
        assertTrue(rejects.stream().anyMatch(l -> l.contains(";COMMUNES_SOUHAITEES;unknown commune")), rejects.toString());
        assertTrue(rejects.stream().anyMatch(l -> l.contains(";NOM;required")), rejects.toString());
        assertTrue(rejects.stream().anyMatch(l -> l.contains(";record;has 27 fields")), rejects.toString());
        for (String nir : gen.nirsUsed()) assertFalse(String.join("\n", rejects).contains(nir.substring(0, 13)));

        // Importing the same file again changes nothing.
        long kept = h.gateway.registry().recordCount();
        ImportReport again = run(f);
        assertEquals("ALREADY_IMPORTED", again.outcome());
        assertEquals(kept, h.gateway.registry().recordCount());
        assertEquals(als.size(), lines(importer().outbox("als", digest)).size());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static boolean wishes(String line, String dep) {
        try {
            JsonNode n = JSON.readTree(line);
            for (JsonNode c : n.at("/request/wishedCommunes")) {
                if (territory.departementOf(c.asText()).orElse("").equals(dep)) return true;
            }
            return false;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCrashInTheMiddleResumesFromTheCheckpointWithoutDuplicates() throws Exception {
        Path f = synthetic("batch-crash.csv", 22, 3_000, 0, List.of("92", "94"));
        var crashing = new SharedFileImport.Progress() {
            int chunks;

            @Override
            public void committed(long recordsDone) {
                if (++chunks == 4) throw new IllegalStateException("simulated crash");
            }
        };
        assertThrows(IllegalStateException.class, () -> importer().run(f, SENDER, crashing));
        ImportReport r = run(f);
        assertEquals("IMPORTED", r.outcome());
        assertEquals(3_000, r.read(), r.text());
        List<String> als = lines(importer().outbox("als", r.fileDigest()));
        assertEquals(r.valid(), als.size());
        Set<String> keys = new HashSet<>();
        for (String l : als) {
            JsonNode n = JSON.readTree(l);
            assertTrue(keys.add(n.path("requestNumber").asText() + "|" + n.path("version").asText()), "duplicate " + l);
        }
    }

    @Test
    void badSignaturesQuarantineTheWholeFile() throws Exception {
        // Signed by another sender (a landlord's registered key).
        Path other = work.resolve("other.csv");
        new SyntheticRequests(33, territory, List.of("92")).write(other, layout, 50, 0);
        signed(other, "bailleur-soap-demo");
        expectQuarantined(other, "not signed by the sender's registered certificate");
        // No signature at all.
        Path missing = work.resolve("missing.csv");
        new SyntheticRequests(34, territory, List.of("92")).write(missing, layout, 50, 0);
        expectQuarantined(missing, "no signature file");
        // Altered after signing.
        Path altered = synthetic("altered.csv", 35, 50, 0, List.of("92"));
        Files.writeString(altered, Files.readString(altered).replace("CRE;", "RAD;"));
        expectQuarantined(altered, "not signed by the sender's registered certificate");
        // A signature file that is not CMS.
        Path garbage = work.resolve("garbage.csv");
        new SyntheticRequests(36, territory, List.of("92")).write(garbage, layout, 50, 0);
        Files.writeString(garbage.resolveSibling("garbage.csv.p7s"), "not a signature");
        expectQuarantined(garbage, "cannot be read as detached CMS");
    }

    private void expectQuarantined(Path f, String reason) throws IOException {
        long before = h.gateway.registry().recordCount();
        ImportReport r = run(f);
        assertEquals("QUARANTINED", r.outcome());
        assertTrue(r.reason().contains(reason), r.reason());
        assertEquals(before, h.gateway.registry().recordCount(), "nothing kept");
        assertFalse(Files.exists(f), "moved away from where it arrived");
        try (Stream<Path> q = Files.walk(data.resolve("quarantine/registry"))) {
            assertTrue(q.anyMatch(p -> p.getFileName().toString().equals(f.getFileName().toString())));
        }
    }

    private Path csv(String name, String... records) throws IOException {
        Path f = work.resolve(name);
        StringBuilder b = new StringBuilder(String.join(";", layout.header())).append('\n');
        for (String r : records) b.append(r).append('\n');
        Files.writeString(f, b.toString());
        return signed(f, SENDER);
    }

    /** A record: movement, reason, number, version, wished communes; the rest filled in. */
    private static String rec(String type, String reason, String number, int version, String communes) {
        return String.join(";", type, reason, number, Integer.toString(version), "01/02/2025", "G1", "", "1", "Durand",
                "Léa", "03/04/1990", "", "", "", "", "", "3", "", "", "", communes, "T3", "N", "", "", "");
    }

    @Test
    void aRadiationReachesEveryLandlordThatHadTheRequest() throws Exception {
        ImportReport first = run(csv("cre.csv", rec("CRE", "", "69RAD000000001", 1, "69123")));
        assertEquals(1, first.sentPerRecipient().get("bailleur-lyon-demo"));
        // The radiation's wished communes are elsewhere now: the earlier recipient still hears of it.
        ImportReport rad = run(csv("rad.csv", rec("RAD", "ATT", "69RAD000000001", 2, "13055")));
        assertEquals(1, rad.valid(), rad.text());
        assertEquals(1, rad.sentPerRecipient().get("bailleur-lyon-demo"), rad.text());
        JsonNode got = JSON.readTree(lines(importer().outbox("bailleur-lyon-demo", rad.fileDigest())).get(0));
        assertEquals("RAD", got.path("fileType").asText());
        assertEquals("allocated", got.path("radiationReason").asText());
    }

    @Test
    void aRectificationReachesEveryEarlierRecipientToo() throws Exception {
        ImportReport first = run(csv("cre-mod.csv", rec("CRE", "", "69MOD000000001", 1, "69123")));
        assertEquals(1, first.sentPerRecipient().get("bailleur-lyon-demo"));
        ImportReport mod = run(csv("mod.csv", rec("MOD", "", "69MOD000000001", 2, "13055")));
        assertEquals(1, mod.sentPerRecipient().get("bailleur-lyon-demo"), mod.text());
        JsonNode got = JSON.readTree(lines(importer().outbox("bailleur-lyon-demo", mod.fileDigest())).get(0));
        assertEquals("MOD", got.path("fileType").asText());
        assertEquals(2, got.path("version").asInt());
    }

    @Test
    void duplicatesInAFileAreKeptOnce() throws Exception {
        ImportReport r = run(csv("dups.csv", rec("CRE", "", "92DUP000000001", 1, "92050"),
                rec("CRE", "", "92DUP000000001", 1, "92050"), rec("MOD", "", "92DUP000000001", 2, "92050")));
        assertEquals(3, r.read());
        assertEquals(1, r.duplicates());
        assertEquals(2, r.valid());
    }

    @Test
    void theInboxImportsCompleteFilesAndMovesThemToDone() throws Exception {
        Path inbox = data.resolve("inbox/registry/" + SENDER);
        Files.createDirectories(inbox);
        Path f = inbox.resolve("inbox-batch.csv");
        new SyntheticRequests(44, territory, List.of("92")).write(f, layout, 120, 0);
        signed(f, SENDER);
        var inboxBean = h.gateway.camel().getRegistry().lookupByNameAndType("sharedFileInbox",
                fr.logement.gateway.registry.SharedFileInbox.class);
        List<ImportReport> reports = inboxBean.poll();
        assertEquals(1, reports.size());
        assertEquals("IMPORTED", reports.get(0).outcome());
        assertTrue(Files.exists(inbox.resolve("done/inbox-batch.csv")));
        assertFalse(Files.exists(f));
    }
}
