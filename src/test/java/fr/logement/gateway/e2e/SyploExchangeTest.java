package fr.logement.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.demo.SyntheticDesignations;
import fr.logement.gateway.pki.Pki;
import fr.logement.gateway.registry.CmsFileSignature;
import fr.logement.gateway.registry.syplo.SyploExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static fr.logement.gateway.e2e.GatewayHarness.JSON;
import static fr.logement.gateway.e2e.GatewayHarness.REST_LANDLORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SYPLO: signed DALO decisions in (to ALS), the follow-up out — the decisions and leases landlords reported for DALO
 * households, filtered for (syplo, dalo_followup) and signed by the gateway.
 */
class SyploExchangeTest {
    @TempDir
    static Path data;
    @TempDir
    Path work;
    static GatewayHarness h;
    static final SyntheticDesignations GEN = new SyntheticDesignations(909);

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.start(data);
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    private Path decisions(String name, String signer, String... rows) throws Exception {
        Path f = work.resolve(name);
        StringBuilder b = new StringBuilder("NUM_UNIQUE;DATE_DECISION;DEPARTEMENT;LABEL\n");
        for (String r : rows) b.append(r).append('\n');
        Files.writeString(f, b.toString());
        Files.write(f.resolveSibling(name + ".p7s"), CmsFileSignature.sign(f, h.gateway.pki().ensure(signer)));
        return f;
    }

    @Test
    void daloDecisionsGoToAlsAndTheFollowUpGoesBackToSyploSigned() throws Exception {
        // A designation whose first candidate is a DALO household; the landlord allocates and signs the lease.
        JsonNode d = GEN.designation("SYPLO-1", REST_LANDLORD, "9400000001", "94028", Instant.now().plus(Duration.ofDays(5)), 2);
        h.delivered(d);
        String dalo = d.at("/candidates/0/identity/numeroUnique").asText();
        String other = d.at("/candidates/1/identity/numeroUnique").asText();
        AlsClient landlord = h.clientOf(REST_LANDLORD);
        for (ObjectNode e : List.of(
                event("caleol_decision", "SYPLO-1", dalo).put("decision", "allocated_rank_1").put("commissionReference", "CAL-9")
                        .put("comment", "NIR " + GEN.nir()),
                event("caleol_decision", "SYPLO-1", other).put("decision", "allocated_rank_2").put("commissionReference", "CAL-9"),
                event("lease_signed", "SYPLO-1", dalo))) {
            assertEquals(200, landlord.post("api/v1/allocation-events", JSON.writeValueAsBytes(e)).statusCode());
        }

        SyploExchange.Outcome in = h.gateway.syplo().importDecisions(decisions("dalo-1.csv", "syplo",
                dalo + ";12/11/2026;94;DALO", "94999999999;13/11/2026;94;PP", "bad number!;13/11/2026;94;DALO"), "syplo");
        assertEquals("IMPORTED", in.outcome(), in.text());
        assertEquals(2, in.records());
        assertEquals(1, in.rejected());
        String toAls = Files.readString(in.file());
        assertTrue(toAls.contains(dalo) && toAls.contains("dalo_decision"), toAls);

        SyploExchange.Outcome out = h.gateway.syplo().exportFollowup(LocalDate.now().minusDays(1));
        assertEquals(2, out.records(), "the DALO household's decision and lease, not the other candidate's");
        List<String> lines = Files.readAllLines(out.file(), StandardCharsets.UTF_8);
        assertTrue(lines.stream().allMatch(l -> l.contains(dalo)), lines.toString());
        assertTrue(lines.get(0).contains("allocated_rank_1"));
        for (String nir : GEN.nirsUsed()) assertFalse(String.join("\n", lines).contains(nir));
        // Signed by the gateway: verified with its certificate alone.
        CmsFileSignature.verify(out.file(), out.file().resolveSibling(out.file().getFileName() + ".p7s"),
                h.gateway.pki().ensure(Pki.GATEWAY).certificate());
    }

    @Test
    void aDecisionsFileNotSignedBySyploIsQuarantined() throws Exception {
        Path f = decisions("forged.csv", "bailleur-rest-demo", "94000000001;12/11/2026;94;DALO");
        SyploExchange.Outcome o = h.gateway.syplo().importDecisions(f, "syplo");
        assertEquals("QUARANTINED", o.outcome());
        assertTrue(o.reason().contains("not signed by the sender's registered certificate"), o.reason());
        assertFalse(Files.exists(f));
    }

    private static ObjectNode event(String type, String designationId, String numeroUnique) {
        ObjectNode e = JSON.createObjectNode();
        e.put("messageId", "evt-" + UUID.randomUUID());
        e.put("type", type);
        e.put("designationId", designationId);
        e.put("numeroUnique", numeroUnique);
        e.put("eventDate", "2026-11-20");
        return e;
    }
}
