package fr.logement.gateway.jose;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.X509CertUtils;
import fr.logement.gateway.jose.JwsVerificationException.Reason;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The classic key-confusion attack: an HMAC "signature" keyed with the registered public key (which anyone has)
 * must not verify; HS256 is outside the allow-list whatever the secret.
 */
class DetachedJwsHmacKeyConfusionTest {
    @TempDir
    Path dir;

    @Test
    void hs256WithThePublicKeyAsSecretIsRefused() throws Exception {
        KeyMaterial key = Pki.openOrCreate(dir).ensure("gw");
        byte[] body = JwsTestSupport.body();

        String withDerKey = JwsTestSupport.nimbusDetached(
                JwsTestSupport.profileHeader(JWSAlgorithm.HS256, key.certificate()).build(), body,
                new MACSigner(key.certificate().getPublicKey().getEncoded()));
        JwsTestSupport.refused(Reason.ALGORITHM_NOT_ALLOWED, body, withDerKey, key.certificate());

        byte[] pem = X509CertUtils.toPEMString(key.certificate()).getBytes(StandardCharsets.US_ASCII);
        String withPemCertificate = JwsTestSupport.nimbusDetached(
                JwsTestSupport.profileHeader(JWSAlgorithm.HS256, key.certificate()).build(), body, new MACSigner(pem));
        JwsTestSupport.refused(Reason.ALGORITHM_NOT_ALLOWED, body, withPemCertificate, key.certificate());
    }

    @Test
    void aCallerAllowListCanNarrowButNeverWiden() throws Exception {
        KeyMaterial key = Pki.openOrCreate(dir).ensure("gw");
        byte[] body = JwsTestSupport.body();
        String hs = JwsTestSupport.nimbusDetached(
                JwsTestSupport.profileHeader(JWSAlgorithm.HS256, key.certificate()).build(), body,
                new MACSigner(key.certificate().getPublicKey().getEncoded()));
        JwsVerificationException widened = org.junit.jupiter.api.Assertions.assertThrows(JwsVerificationException.class,
                () -> DetachedJws.verify(body, hs, key.certificate(), java.util.Set.of(JWSAlgorithm.HS256, JWSAlgorithm.RS256)));
        org.junit.jupiter.api.Assertions.assertEquals(Reason.ALGORITHM_NOT_ALLOWED, widened.reason());

        String rs = new DetachedJws(key, JWSAlgorithm.RS256).sign(body, null);
        JwsVerificationException narrowed = org.junit.jupiter.api.Assertions.assertThrows(JwsVerificationException.class,
                () -> DetachedJws.verify(body, rs, key.certificate(), java.util.Set.of(JWSAlgorithm.PS256)));
        org.junit.jupiter.api.Assertions.assertEquals(Reason.ALGORITHM_NOT_ALLOWED, narrowed.reason());
    }
}
