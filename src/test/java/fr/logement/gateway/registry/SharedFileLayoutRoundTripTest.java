package fr.logement.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.config.Territory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layout bridges a shared file's record to the national model and back, value for value. */
class SharedFileLayoutRoundTripTest {
    static final Territory TERRITORY = Territory.load(Path.of("config/reference"));
    static final SharedFileLayout LAYOUT = SharedFileLayout.load(Path.of("schemas/departmental-shared-file-v1.yaml"), TERRITORY);

    @Test
    void aRecordGoesToTheNationalModelAndBackUnchanged() {
        String[] header = LAYOUT.header();
        String[] row = {"RAD", "ATT", "2A2611000000007", "3", "05/06/2025", "G12", "185102A12345616", "2", "Ben Saïd",
                "Aïcha", "29/02/1988", "a@exemple.fr", "0612345678", "2 rue de l'Église", "20000", "Ajaccio", "4",
                "23456,5", "35600000000042", "732829320", "2A004|2B033", "T6", "O", "plain-pied", "nature", "« urgent »; voir\n\"dossier\""};
        SharedFileLayout.Mapped m = LAYOUT.toNational(header, row);
        assertTrue(m.problems().isEmpty(), m.problems().toString());
        JsonNode n = m.record();
        assertEquals("2025-06-05", n.at("/request/creationDate").asText());
        assertEquals("allocated", n.path("radiationReason").asText());
        assertEquals("MME", n.at("/applicant/civility").asText());
        assertEquals("T6_PLUS", n.at("/request/housingType").asText());
        assertEquals(2, n.at("/request/wishedCommunes").size());
        assertTrue(n.at("/priority/dalo").asBoolean());
        assertEquals("35600000000042", n.at("/professional/employerSiret").asText(), "La Poste: digit sum a multiple of 5");
        assertArrayEquals(row, LAYOUT.fromNational(n));
    }

    @Test
    void everyProblemNamesItsColumnWithoutTheValue() {
        String[] header = LAYOUT.header();
        String[] row = {"XXX", "", "!!", "0", "32/01/2025", "", "185102A12345617", "9", "", "", "", "", "", "", "", "",
                "99", "abc", "73282932000075", "732829321", "12345", "T9", "peut-être", "", "", ""};
        SharedFileLayout.Mapped m = LAYOUT.toNational(header, row);
        String all = m.problems().toString();
        for (String column : new String[]{"TYPE_MVT", "NUM_UNIQUE", "VERSION", "DT_CREATION", "NIR", "CIVILITE", "NOM",
                "NB_PERSONNES", "REVENU_FISCAL", "SIRET_EMPLOYEUR", "SIREN_BAILLEUR_ACTUEL", "COMMUNES_SOUHAITEES", "TYPE_LOGEMENT",
                "DALO"}) {
            assertTrue(all.contains("path=" + column), column + " in " + all);
        }
        assertTrue(!all.contains("185102A12345617") && !all.contains("peut-être"), all);
    }
}
