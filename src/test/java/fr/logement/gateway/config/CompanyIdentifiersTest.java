package fr.logement.gateway.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompanyIdentifiersTest {
    @Test
    void sirenAndSiretFollowLuhn() {
        assertTrue(Identifiers.isSiren("552100554"));
        assertFalse(Identifiers.isSiren("552100555"));
        assertFalse(Identifiers.isSiren("55210055"));
        assertTrue(Identifiers.isSiret("73282932000074"));
        assertFalse(Identifiers.isSiret("73282932000075"));
    }

    @Test
    void laPosteSiretsAreValidWhenTheirDigitSumIsAMultipleOfFive() {
        // 3+5+6+0+0+0+0+0+0 = 14; establishment 00048 -> +12 = 26: not a multiple of 5
        assertFalse(Identifiers.isSiret("35600000000048"));
        // 14 + 0+0+0+4+2 = 20
        assertTrue(Identifiers.isSiret("35600000000042"));
    }

    @Test
    void ileDeFranceCoversTheWholeRegion() {
        Territory t = Territory.load(java.nio.file.Path.of("config/reference"));
        assertTrue(t.covers(java.util.List.of("75"), "92050"));   // Nanterre, Hauts-de-Seine
        assertFalse(t.covers(java.util.List.of("69"), "92050"));
        assertTrue(t.covers(java.util.List.of("69"), "69123"));   // Lyon
        assertFalse(t.covers(java.util.List.of("69"), "38185"));  // Grenoble: same région, not Île-de-France
        assertTrue(t.departementOf("2A004").isPresent());          // Ajaccio
    }

    @org.junit.jupiter.api.Test
    void generatedIdentifiersAreValidIncludingLaPoste() {
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 500; i++) {
            String siren = Identifiers.siren(String.format("%08d", r.nextInt(100_000_000)));
            org.junit.jupiter.api.Assertions.assertTrue(Identifiers.isSiren(siren), siren);
            String siret = Identifiers.siret(siren, String.format("%04d", r.nextInt(10_000)));
            org.junit.jupiter.api.Assertions.assertTrue(Identifiers.isSiret(siret), siret);
            String laPoste = Identifiers.siret("356000000", String.format("%04d", r.nextInt(10_000)));
            org.junit.jupiter.api.Assertions.assertTrue(Identifiers.isSiret(laPoste), laPoste);
        }
    }
}
