package fr.logement.gateway.policy;

import fr.logement.gateway.config.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyConfigurationIsRefusedWhenItBreaksTheHardRulesTest {
    @TempDir
    Path dir;

    private ConfigurationException grants(String yaml) throws Exception {
        Path f = dir.resolve("grants.yaml");
        Files.writeString(f, yaml);
        return assertThrows(ConfigurationException.class, () -> Grants.load(f));
    }

    @Test
    void theNirGrantedToALandlordIsRefused() throws Exception {
        ConfigurationException e = grants("grants:\n  landlord:\n    designation:\n      nir: all\n");
        assertEquals("grants.yaml", e.file());
        assertEquals("grants.landlord.designation.nir", e.entry());
        assertTrue(e.problem().contains("SNE"));
    }

    @Test
    void handicapNatureGrantedToALandlordIsRefused() throws Exception {
        ConfigurationException e = grants("grants:\n  landlord:\n    registry:\n      handicap_nature: all\n");
        assertEquals("grants.landlord.registry.handicap_nature", e.entry());
    }

    @Test
    void unknownCategoryOrRecipientIsRefused() throws Exception {
        assertEquals("grants.landlord.designation.shoe_size",
                grants("grants:\n  landlord:\n    designation:\n      shoe_size: all\n").entry());
        assertEquals("grants.martians", grants("grants:\n  martians:\n    x:\n      identity: all\n").entry());
    }

    @Test
    void aCatalogueEntryWithAnUnknownCategoryIsRefused() throws Exception {
        Path f = dir.resolve("catalogue.yaml");
        Files.writeString(f, "designation:\n  candidates[].identity: idendity\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> FieldCatalogue.load(f));
        assertEquals("designation.candidates[].identity", e.entry());
    }
}
