package fr.logement.gateway.cli;

import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rotating a partner's certificate: a good one replaces the old (kept as .previous); a bad one is refused. */
class RotateCertificateCommandTest {
    @TempDir
    Path data;

    private int rotate(Path pem, StringBuilder err) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            return GatewayCommand.execute("rotate-certificate", "--data-dir", data.toString(), "--partner",
                    "bailleur-rest-demo", "--certificate", pem.toString(), "--operator", "ops-test");
        } finally {
            System.setErr(saved);
            err.append(e.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aGoodCertificateReplacesTheOldOneAndABadOneIsRefused() throws Exception {
        Pki pki = Pki.openOrCreate(data.resolve("pki"));
        Path registered = data.resolve("pki/partners/bailleur-rest-demo.pem");

        KeyMaterial stranger = Pki.selfSigned("stranger");
        Path selfSigned = data.resolve("stranger.pem");
        Pki.writePem(selfSigned, stranger.certificate());
        StringBuilder err = new StringBuilder();
        assertEquals(1, rotate(selfSigned, err));
        assertTrue(err.toString().contains("issued by no configured authority"), err.toString());

        Instant now = Instant.now();
        KeyMaterial expired = pki.issue("old", "RSA", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        Path expiredPem = data.resolve("expired.pem");
        Pki.writePem(expiredPem, expired.certificate());
        err.setLength(0);
        assertEquals(1, rotate(expiredPem, err));
        assertTrue(err.toString().contains("expired"), err.toString());

        String before = Files.readString(registered);
        KeyMaterial fresh = pki.issue("bailleur-rest-demo-2027", "RSA", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)));
        Path freshPem = data.resolve("fresh.pem");
        Pki.writePem(freshPem, fresh.certificate());
        err.setLength(0);
        assertEquals(0, rotate(freshPem, err), err.toString());
        assertEquals(Files.readString(freshPem), Files.readString(registered));
        assertEquals(before, Files.readString(registered.resolveSibling("bailleur-rest-demo.pem.previous")));
    }
}
