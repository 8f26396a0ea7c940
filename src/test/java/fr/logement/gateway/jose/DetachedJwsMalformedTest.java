package fr.logement.gateway.jose;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import fr.logement.gateway.jose.JwsVerificationException.Reason;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** What is not a detached JWS of this profile is refused with MISSING or MALFORMED, never verified. */
class DetachedJwsMalformedTest {
    @TempDir
    Path dir;

    @Test
    void missingOrGarbageIsRefused() throws Exception {
        KeyMaterial key = Pki.openOrCreate(dir).ensure("gw");
        byte[] body = JwsTestSupport.body();
        JwsTestSupport.refused(Reason.MISSING, body, null, key.certificate());
        JwsTestSupport.refused(Reason.MISSING, body, "  ", key.certificate());
        JwsTestSupport.refused(Reason.MALFORMED, body, "not-a-jws", key.certificate());
        JwsTestSupport.refused(Reason.MALFORMED, body, "a.b.c.d", key.certificate());
        JwsTestSupport.refused(Reason.MALFORMED, body, "%%%..abc", key.certificate());
        JwsTestSupport.refused(Reason.MALFORMED, body, "x".repeat(9000) + "..abc", key.certificate());
    }

    @Test
    void anAttachedPayloadIsRefused() throws Exception {
        KeyMaterial key = Pki.openOrCreate(dir).ensure("gw");
        byte[] body = JwsTestSupport.body();
        JWSObject attached = new JWSObject(JwsTestSupport.profileHeader(JWSAlgorithm.RS256, key.certificate()).build(),
                new Payload(body));
        attached.sign(new RSASSASigner(key.privateKey()));

        JwsTestSupport.refused(Reason.MALFORMED, body, attached.serialize(), key.certificate());
    }

    @Test
    void duplicateHeaderKeysAreRefused() throws Exception {
        KeyMaterial key = Pki.openOrCreate(dir).ensure("gw");
        String header = "{\"alg\":\"RS256\",\"alg\":\"none\",\"typ\":\"JOSE\",\"x5t#S256\":\""
                + JwsTestSupport.thumbprint(key) + "\",\"iat\":" + Instant.now().getEpochSecond() + "}";

        JwsTestSupport.refused(Reason.MALFORMED, JwsTestSupport.body(), JwsTestSupport.handMade(header, "AAAA"),
                key.certificate());
    }

    @Test
    void anotherTypeOrCriticalParametersAreRefused() throws Exception {
        KeyMaterial key = Pki.openOrCreate(dir).ensure("gw");
        byte[] body = JwsTestSupport.body();
        String jwt = JwsTestSupport.nimbusDetached(JwsTestSupport.profileHeader(JWSAlgorithm.RS256, key.certificate())
                .type(JOSEObjectType.JWT).build(), body, new RSASSASigner(key.privateKey()));
        JwsTestSupport.refused(Reason.MALFORMED, body, jwt, key.certificate());

        String unencoded = JwsTestSupport.nimbusDetached(JwsTestSupport.profileHeader(JWSAlgorithm.RS256, key.certificate())
                .base64URLEncodePayload(false).criticalParams(Set.of("b64")).build(), body, new RSASSASigner(key.privateKey()));
        JwsTestSupport.refused(Reason.MALFORMED, body, unencoded, key.certificate());
    }

    @Test
    void messagesNeverQuoteTheBody() throws Exception {
        KeyMaterial key = Pki.openOrCreate(dir).ensure("gw");
        byte[] body = JwsTestSupport.body();
        String jws = new DetachedJws(key).sign(body, "m-1");
        byte[] tampered = "{\"lastName\":\"Durand\"}".getBytes();
        JwsVerificationException e = JwsTestSupport.refused(Reason.SIGNATURE_INVALID, tampered, jws, key.certificate());
        assertFalse(e.getMessage().contains("Durand"));
        assertFalse(e.getMessage().contains(jws.substring(0, 20)));
    }
}
