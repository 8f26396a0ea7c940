package fr.logement.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXParseException;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class XmlIsFilteredLikeJsonTest {
    @Test
    void aDesignationMappedToXmlAndBackIsFilteredIdentically() throws Exception {
        OutboundFilter filter = OutboundFilter.load(Path.of("config"));
        JsonNode example = new ObjectMapper().readTree(Path.of("schemas/examples/designation.json").toFile());
        Document doc = CanonicalXml.secureDocumentBuilder().newDocument();
        Element root = doc.createElementNS("urn:test", "designation");
        doc.appendChild(root);
        CanonicalXml.appendTo(root, example, "urn:test");
        JsonNode back = CanonicalXml.toJson(root);
        JsonNode fromJson = filter.filter("designation", example, "landlord", "designation").filtered();
        JsonNode fromXml = filter.filter("designation", back, "landlord", "designation").filtered();
        // XML carries text: compare the text of every leaf.
        assertEquals(fromJson.at("/candidates/0/identity/lastName").asText(), fromXml.at("/candidates/0/identity/lastName").asText());
        assertEquals(fromJson.at("/candidates/0/documents/0/sha256").asText(), fromXml.at("/candidates/0/documents/0/sha256").asText());
        assertEquals(true, fromXml.at("/candidates/0/identity/nir").isMissingNode());
        assertEquals(true, fromXml.at("/candidates/0/handicap/nature").isMissingNode());
        assertEquals(fromJson.findValuesAsText("lastName"), fromXml.findValuesAsText("lastName"));
    }

    @Test
    void aDoctypeIsRefusedSoNoEntityIsEverExpanded() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><d>&x;</d>";
        assertThrows(SAXParseException.class, () -> CanonicalXml.secureDocumentBuilder()
                .parse(new ByteArrayInputStream(xxe.getBytes(StandardCharsets.UTF_8))));
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><d>&b;</d>";
        assertThrows(SAXParseException.class, () -> CanonicalXml.secureDocumentBuilder()
                .parse(new ByteArrayInputStream(bomb.getBytes(StandardCharsets.UTF_8))));
    }
}
