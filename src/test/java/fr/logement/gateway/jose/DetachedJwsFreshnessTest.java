package fr.logement.gateway.jose;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.X509CertUtils;
import fr.logement.gateway.jose.JwsVerificationException.Reason;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** A signature without iat, older than the allowed age, or from the future, is refused (replay window). */
class DetachedJwsFreshnessTest {
    @TempDir
    Path dir;

    @Test
    void tooOldIsRefused() throws Exception {
        KeyMaterial key = Pki.openOrCreate(dir).ensure("gw");
        Clock tenMinutesAgo = Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        byte[] body = JwsTestSupport.body();
        String jws = new DetachedJws(key, JWSAlgorithm.RS256, tenMinutesAgo).sign(body, "m-1");

        JwsTestSupport.refused(Reason.NOT_FRESH, body, jws, key.certificate());
        // A caller that accepts older signatures can say so.
        DetachedJws.verify(body, jws, key.certificate(), DetachedJws.SUPPORTED, Clock.systemUTC(), Duration.ofMinutes(15));
    }

    @Test
    void fromTheFutureIsRefused() throws Exception {
        KeyMaterial key = Pki.openOrCreate(dir).ensure("gw");
        Clock inFiveMinutes = Clock.fixed(Instant.now().plus(Duration.ofMinutes(5)), ZoneOffset.UTC);
        byte[] body = JwsTestSupport.body();
        String jws = new DetachedJws(key, JWSAlgorithm.RS256, inFiveMinutes).sign(body, "m-1");

        JwsTestSupport.refused(Reason.NOT_FRESH, body, jws, key.certificate());
    }

    @Test
    void withoutIatIsRefused() throws Exception {
        KeyMaterial key = Pki.openOrCreate(dir).ensure("gw");
        byte[] body = JwsTestSupport.body();
        String jws = JwsTestSupport.nimbusDetached(new com.nimbusds.jose.JWSHeader.Builder(JWSAlgorithm.RS256)
                        .type(DetachedJws.TYPE)
                        .x509CertSHA256Thumbprint(X509CertUtils.computeSHA256Thumbprint(key.certificate())).build(),
                body, new RSASSASigner(key.privateKey()));

        JwsTestSupport.refused(Reason.NOT_FRESH, body, jws, key.certificate());
    }
}
