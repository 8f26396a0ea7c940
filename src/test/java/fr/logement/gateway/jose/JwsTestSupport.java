package fr.logement.gateway.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.util.X509CertUtils;
import fr.logement.gateway.pki.KeyMaterial;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Helpers shared by the DetachedJws tests: sample bodies, attacker-made tokens, and refusal assertions. */
final class JwsTestSupport {
    private JwsTestSupport() {}

    static byte[] body() {
        return "{\"messageId\":\"m-1\",\"designation\":{\"designationId\":\"ALS-2026-000123\",\"rent\":612.40}}"
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A header as our profile writes it, for tokens that tests then sign with whatever they like. */
    static JWSHeader.Builder profileHeader(JWSAlgorithm alg, X509Certificate namedCertificate) {
        return new JWSHeader.Builder(alg)
                .type(DetachedJws.TYPE)
                .x509CertSHA256Thumbprint(X509CertUtils.computeSHA256Thumbprint(namedCertificate))
                .customParam("iat", Instant.now().getEpochSecond());
    }

    /** Signs {@code body} with Nimbus itself (not DetachedJws) and detaches the payload. */
    static String nimbusDetached(JWSHeader header, byte[] body, JWSSigner signer) throws JOSEException {
        JWSObject jws = new JWSObject(header, new Payload(body));
        jws.sign(signer);
        return jws.serialize(true);
    }

    /** A token made by hand: {@code base64url(headerJson) + ".." + signature}. */
    static String handMade(String headerJson, String signature) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(headerJson.getBytes(StandardCharsets.UTF_8))
                + ".." + signature;
    }

    static String thumbprint(KeyMaterial km) {
        return X509CertUtils.computeSHA256Thumbprint(km.certificate()).toString();
    }

    static JwsVerificationException refused(JwsVerificationException.Reason expected, byte[] body, String jws,
                                            X509Certificate registered) {
        JwsVerificationException e = assertThrows(JwsVerificationException.class,
                () -> DetachedJws.verify(body, jws, registered, DetachedJws.SUPPORTED));
        assertEquals(expected, e.reason(), "reason (message: " + e.getMessage() + ")");
        return e;
    }
}
