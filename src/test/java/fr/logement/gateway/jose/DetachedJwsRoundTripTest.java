package fr.logement.gateway.jose;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A body signed by DetachedJws verifies with the signer's certificate, for each algorithm of the profile. */
class DetachedJwsRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void rs256() throws Exception {
        roundTrip(Pki.openOrCreate(dir).ensure("gw-rsa"), JWSAlgorithm.RS256);
    }

    @Test
    void ps256() throws Exception {
        roundTrip(Pki.openOrCreate(dir).ensure("gw-rsa"), JWSAlgorithm.PS256);
    }

    @Test
    void es256() throws Exception {
        roundTrip(Pki.openOrCreate(dir).ensure("gw-ec", "EC"), JWSAlgorithm.ES256);
    }

    private static void roundTrip(KeyMaterial key, JWSAlgorithm alg) throws Exception {
        byte[] body = JwsTestSupport.body();
        String jws = new DetachedJws(key, alg).sign(body, "m-1");

        assertTrue(jws.matches("[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+"), "compact detached form header..signature");
        DetachedJws.Verified v = DetachedJws.verify(body, jws, key.certificate(), DetachedJws.SUPPORTED);
        assertEquals(alg, v.algorithm());
        assertEquals("m-1", v.messageId());
        assertTrue(Duration.between(v.issuedAt(), Instant.now()).abs().getSeconds() < 5);

        String header = new String(Base64.getUrlDecoder().decode(jws.substring(0, jws.indexOf('.'))), StandardCharsets.UTF_8);
        assertTrue(header.contains("\"alg\":\"" + alg.getName() + "\""), header);
        assertTrue(header.contains("\"typ\":\"JOSE\""), header);
        assertTrue(header.contains("\"x5t#S256\":\"" + JwsTestSupport.thumbprint(key) + "\""), header);
        assertTrue(header.matches(".*\"iat\":\\d+.*"), header);
        assertTrue(!header.contains("b64") && !header.contains("crit"), "plain RFC 7515 payload encoding: " + header);

        // The same signature is what Nimbus computes when the payload is re-attached (RFC 7515 appendix F).
        String[] parts = jws.split("\\.", -1);
        String attached = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(body) + "." + parts[2];
        assertEquals(alg, JWSObject.parse(attached).getHeader().getAlgorithm());
    }

    @Test
    void streamedInChunksEqualsTheSameBody() throws Exception {
        KeyMaterial key = Pki.openOrCreate(dir).ensure("gw-rsa");
        byte[] body = new byte[300_001]; // not a multiple of 3: exercises the last, partial base64 group
        new Random(7).nextBytes(body);
        DetachedJws.Signing s = new DetachedJws(key).start("m-2");
        for (int off = 0; off < body.length; off += 4093) s.write(body, off, Math.min(4093, body.length - off));
        String jws = s.finish();

        assertEquals("m-2", DetachedJws.verify(body, jws, key.certificate(), DetachedJws.SUPPORTED).messageId());
    }

    @Test
    void aSignatureMadeByNimbusAloneIsAccepted() throws Exception {
        KeyMaterial key = Pki.openOrCreate(dir).ensure("gw-rsa");
        byte[] body = JwsTestSupport.body();
        String jws = JwsTestSupport.nimbusDetached(
                JwsTestSupport.profileHeader(JWSAlgorithm.RS256, key.certificate()).build(), body,
                new RSASSASigner(key.privateKey()));

        assertEquals(JWSAlgorithm.RS256, DetachedJws.verify(body, jws, key.certificate(), DetachedJws.SUPPORTED).algorithm());
        assertTrue(JWSObject.parse(jws, new Payload(body)).getHeader().getAlgorithm().equals(JWSAlgorithm.RS256));
    }
}
