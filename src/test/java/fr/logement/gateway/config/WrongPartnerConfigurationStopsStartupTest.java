package fr.logement.gateway.config;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WrongPartnerConfigurationStopsStartupTest {
    static Territory territory;
    @TempDir
    Path dir;

    @BeforeAll
    static void reference() {
        territory = Territory.load(Path.of("config/reference"));
    }

    private ConfigurationException load(String yaml) throws IOException {
        Path f = dir.resolve("partners.yaml");
        Files.writeString(f, yaml);
        return assertThrows(ConfigurationException.class,
                () -> PartnerDirectory.load(f, territory, Map.of("p", "9443")::get));
    }

    private static final String LANDLORD = """
            partners:
              - id: b1
                kind: landlord
                siren: "%s"
                territory: [%s]
                protocol: %s
                endpoint: "%s"
                certificate: pki/b1.pem
            """;

    @Test
    void unknownDepartementIsNamed() throws IOException {
        ConfigurationException e = load(LANDLORD.formatted("552100554", "\"999\"", "soap", "https://x/y"));
        assertEquals("partners.yaml", e.file());
        assertEquals("partners[0] (b1).territory", e.entry());
        assertTrue(e.problem().contains("999"), e.problem());
    }

    @Test
    void badSirenLuhnIsRefused() throws IOException {
        ConfigurationException e = load(LANDLORD.formatted("552100555", "\"92\"", "soap", "https://x/y"));
        assertEquals("partners[0] (b1).siren", e.entry());
    }

    @Test
    void unknownProtocolIsRefused() throws IOException {
        ConfigurationException e = load(LANDLORD.formatted("552100554", "\"92\"", "ftp", "https://x/y"));
        assertEquals("partners[0] (b1).protocol", e.entry());
        assertTrue(e.problem().contains("soap"), e.problem());
    }

    @Test
    void plainHttpEndpointIsRefused() throws IOException {
        ConfigurationException e = load(LANDLORD.formatted("552100554", "\"92\"", "rest", "http://x/y"));
        assertEquals("partners[0] (b1).endpoint", e.entry());
    }

    @Test
    void unknownPlaceholderIsRefused() throws IOException {
        ConfigurationException e = load(LANDLORD.formatted("552100554", "\"92\"", "rest", "https://x:${nope}/y"));
        assertTrue(e.problem().contains("nope"), e.problem());
    }

    @Test
    void unknownFieldAndDuplicateIdAreRefused() throws IOException {
        ConfigurationException unknown = load("partners:\n  - id: a\n    kind: als\n    colour: red\n    certificate: a.pem\n");
        assertEquals("partners[0].colour", unknown.entry());
        ConfigurationException dup = load("partners:\n  - {id: a, kind: als, certificate: a.pem}\n  - {id: a, kind: als, certificate: b.pem}\n");
        assertTrue(dup.problem().contains("duplicate"), dup.problem());
    }

    @Test
    void theShippedConfigurationLoads() {
        PartnerDirectory d = PartnerDirectory.load(Path.of("config/partners.yaml"), territory,
                Map.of("sim.soap.port", "1", "sim.rest.port", "2", "sim.sne.port", "3", "gateway.als.endpoint", "",
                        "gateway.employer-demo.endpoint", "")::get);
        assertEquals(null, PartnerDirectory.load(Path.of("config/partners.yaml"), territory,
                Map.of("sim.soap.port", "1", "sim.rest.port", "2", "sim.sne.port", "3", "gateway.als.endpoint", "",
                        "gateway.employer-demo.endpoint", "")::get)
                .find("als").orElseThrow().endpoint(), "an endpoint that resolves to nothing is not configured");
        assertTrue(d.find("als").isPresent());
        assertEquals(Partner.Protocol.soap, d.find("bailleur-soap-demo").orElseThrow().protocol());
    }
}
