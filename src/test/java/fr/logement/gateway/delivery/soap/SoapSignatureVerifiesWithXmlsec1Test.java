package fr.logement.gateway.delivery.soap;

import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A second, independent implementation — Debian's xmlsec1 (libxmlsec1 over OpenSSL) — verifies the gateway's
 * WS-Security signature on the envelope exactly as the landlord received it, and refuses a tampered copy.
 */
class SoapSignatureVerifiesWithXmlsec1Test {
    private static final String XMLSEC1 = "/usr/bin/xmlsec1";
    private static final String WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    private static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";

    @TempDir
    Path dir;

    @Test
    void xmlsec1VerifiesTheSignedEnvelopeAndRefusesATamperedOne() throws Exception {
        if (!new File(XMLSEC1).canExecute()) {
            fail("xmlsec1 is not installed: run `apt-get install xmlsec1` (.ci/run installs it)");
        }
        try (SoapDeliveryHarness h = new SoapDeliveryHarness(dir, null)) {
            h.sender.send(h.landlord, "msg-x", h.designation("XMLSEC-1"), h.store);
            byte[] raw = h.simulator.received().get(0).rawEnvelope();
            String envelope = rootPart(new String(raw, StandardCharsets.ISO_8859_1));
            Path signed = dir.resolve("envelope.xml");
            Files.writeString(signed, envelope, StandardCharsets.ISO_8859_1);
            Path cert = dir.resolve("gateway.pem");
            Pki.writePem(cert, h.gateway.certificate());

            assertEquals(0, xmlsec1(signed, cert), "xmlsec1 must verify the gateway's signature");

            String lastName = h.simulator.received().get(0).designation().at("/candidates/0/identity/lastName").asText();
            Path tampered = dir.resolve("tampered.xml");
            Files.writeString(tampered, envelope.replace(">" + lastName + "<", ">Tampered<"), StandardCharsets.ISO_8859_1);
            assertNotEquals(envelope, Files.readString(tampered, StandardCharsets.ISO_8859_1));
            assertNotEquals(0, xmlsec1(tampered, cert), "xmlsec1 must refuse a Body changed after signing");
        }
    }

    /** The XML root part of an MTOM (multipart/related) request, or the request itself when it is plain XML. */
    static String rootPart(String raw) {
        int start = raw.indexOf("<soap:Envelope");
        if (start < 0) start = raw.indexOf("<");
        int end = raw.indexOf("Envelope>", start);
        assertTrue(start >= 0 && end > start, "no SOAP envelope in the request");
        return raw.substring(start, end + "Envelope>".length());
    }

    private int xmlsec1(Path file, Path cert) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(XMLSEC1, "--verify",
                "--id-attr:Id", SOAP + ":Body", "--id-attr:Id", WSU + ":Timestamp",
                "--pubkey-cert-pem", cert.toString(), file.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("xmlsec1.log").toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "xmlsec1 did not finish");
        return p.exitValue();
    }
}
