package fr.logement.gateway.jose;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import fr.logement.gateway.jose.JwsVerificationException.Reason;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

/**
 * A JWS that brings its own key (jwk, x5c) or points to one (jku, x5u) is refused, even when correctly signed by
 * that key and naming the registered certificate: only the registered certificate is ever trusted.
 */
class DetachedJwsEmbeddedKeyTest {
    @TempDir
    Path dir;

    @Test
    void embeddedJwkOfAnAttackerKeyIsRefused() throws Exception {
        KeyMaterial registered = Pki.openOrCreate(dir).ensure("gw");
        KeyMaterial attacker = Pki.selfSigned("attacker");
        byte[] body = JwsTestSupport.body();
        RSAKey attackerJwk = new RSAKey.Builder((RSAPublicKey) attacker.certificate().getPublicKey()).build();

        String jws = JwsTestSupport.nimbusDetached(
                JwsTestSupport.profileHeader(JWSAlgorithm.RS256, registered.certificate()).jwk(attackerJwk).build(),
                body, new RSASSASigner(attacker.privateKey()));

        JwsTestSupport.refused(Reason.KEY_IN_HEADER, body, jws, registered.certificate());
    }

    @Test
    void embeddedX5cOfAnAttackerCertificateIsRefused() throws Exception {
        KeyMaterial registered = Pki.openOrCreate(dir).ensure("gw");
        KeyMaterial attacker = Pki.selfSigned("attacker");
        byte[] body = JwsTestSupport.body();

        String jws = JwsTestSupport.nimbusDetached(
                JwsTestSupport.profileHeader(JWSAlgorithm.RS256, attacker.certificate())
                        .x509CertChain(List.of(Base64.encode(attacker.certificate().getEncoded()))).build(),
                body, new RSASSASigner(attacker.privateKey()));

        JwsTestSupport.refused(Reason.KEY_IN_HEADER, body, jws, registered.certificate());
    }

    @Test
    void keyUrlsAreRefused() throws Exception {
        KeyMaterial registered = Pki.openOrCreate(dir).ensure("gw");
        byte[] body = JwsTestSupport.body();

        String jku = JwsTestSupport.nimbusDetached(
                JwsTestSupport.profileHeader(JWSAlgorithm.RS256, registered.certificate())
                        .jwkURL(URI.create("https://attacker.example/jwks")).build(),
                body, new RSASSASigner(registered.privateKey()));
        JwsTestSupport.refused(Reason.KEY_IN_HEADER, body, jku, registered.certificate());

        String x5u = JwsTestSupport.nimbusDetached(
                JwsTestSupport.profileHeader(JWSAlgorithm.RS256, registered.certificate())
                        .x509CertURL(URI.create("https://attacker.example/cert.pem")).build(),
                body, new RSASSASigner(registered.privateKey()));
        JwsTestSupport.refused(Reason.KEY_IN_HEADER, body, x5u, registered.certificate());
    }
}
