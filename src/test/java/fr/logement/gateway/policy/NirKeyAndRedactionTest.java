package fr.logement.gateway.policy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NirKeyAndRedactionTest {
    @Test
    void validKeysIncludingCorsicaAreRecognised() {
        assertTrue(Nir.isValid("284058832102532"));
        assertTrue(Nir.isValid("2 84 05 88 321 025 32"));
        assertTrue(Nir.isValid("185102A12345616"));
        assertTrue(Nir.isValid("1 85 10 2A 123 456 16"));
    }

    @Test
    void wrongKeysAndShapesAreNot() {
        assertFalse(Nir.isValid("284058832102533"));
        assertFalse(Nir.isValid("185102B12345616"), "2B counts as 18, not 19: the key differs");
        assertFalse(Nir.isValid("584058832102532"), "no sex digit 5");
        assertFalse(Nir.isValid("2840588321025"));
    }

    @Test
    void nirsInFreeTextAreRedactedWhateverTheSeparators() {
        Nir.Redaction r = Nir.redact("Mon numéro : 2 84 05 88 321 025 32, ou 1.85.10.2A.123.456.16 ; fin");
        assertEquals(2, r.count());
        assertEquals("Mon numéro : [NIR], ou [NIR] ; fin", r.text());
        assertEquals(1, Nir.redact("x 284058832102532\n").count());
    }

    @Test
    void longerDigitRunsAndInvalidKeysAreLeftAlone() {
        String text = "dossier 92284058832102532 et 284058832102533 et SIRET 73282932000074";
        Nir.Redaction r = Nir.redact(text);
        assertEquals(0, r.count());
        assertEquals(text, r.text());
    }
}
