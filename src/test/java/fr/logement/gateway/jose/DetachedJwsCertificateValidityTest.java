package fr.logement.gateway.jose;

import fr.logement.gateway.jose.JwsVerificationException.Reason;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** A signature by the registered key is refused while the registered certificate is outside its validity dates. */
class DetachedJwsCertificateValidityTest {
    @TempDir
    Path dir;

    @Test
    void expiredCertificateIsRefused() throws Exception {
        Instant now = Instant.now();
        KeyMaterial expired = Pki.openOrCreate(dir).issue("old-landlord", "RSA",
                now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)));
        byte[] body = JwsTestSupport.body();
        String jws = new DetachedJws(expired).sign(body, "m-1");

        JwsVerificationException e = JwsTestSupport.refused(Reason.CERTIFICATE_NOT_VALID, body, jws, expired.certificate());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void notYetValidCertificateIsRefused() throws Exception {
        Instant now = Instant.now();
        KeyMaterial future = Pki.openOrCreate(dir).issue("new-landlord", "EC",
                now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(400)));
        byte[] body = JwsTestSupport.body();
        String jws = new DetachedJws(future).sign(body, "m-1");

        JwsTestSupport.refused(Reason.CERTIFICATE_NOT_VALID, body, jws, future.certificate());
    }
}
