package fr.logement.gateway.jose;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.crypto.impl.RSASSA;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.X509CertUtils;
import fr.logement.gateway.http.Json;
import fr.logement.gateway.jose.JwsVerificationException.Reason;
import fr.logement.gateway.pki.KeyMaterial;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Signs and verifies HTTP bodies with a compact JWS whose payload is detached (RFC 7515 appendix F,
 * {@code <header>..<signature>}), carried in the {@code X-JWS-Signature} header over the exact raw body bytes.
 * <p>
 * Profile, so that a partner can implement it with any JOSE library:
 * <ul>
 *   <li>Protected header: {@code {"alg":…,"typ":"JOSE","x5t#S256":…,"iat":<epoch seconds>[,"jti":<message id>]}}.
 *   No {@code crit}, no {@code b64}: the payload is base64url-encoded as in plain RFC 7515, so the signing input is
 *   {@code ASCII(BASE64URL(header)) || '.' || ASCII(BASE64URL(body))}.</li>
 *   <li>We keep {@code b64=true} rather than RFC 7797's unencoded payload: every JOSE library verifies it (RFC 7797
 *   needs {@code crit} support, which many lack or get wrong), and it still streams, because the signer
 *   base64url-encodes the body on the fly into the signature (see {@link #start(String)}); the cost is hashing
 *   4/3 of the body.</li>
 *   <li>Verification trusts only the expected signer's registered certificate, given by the caller: a header that
 *   carries or points to keys ({@code jwk}, {@code jku}, {@code x5c}, {@code x5u}) is refused outright, so that no
 *   code path can ever be tempted to use it; {@code x5t#S256} must name the registered certificate.</li>
 *   <li>Algorithms: RS256, PS256, ES256 only; a caller's allow-list can narrow that set, never widen it.</li>
 * </ul>
 * Signing goes through the JCA with Nimbus's algorithm mapping; verification goes through Nimbus's
 * {@link JWSObject} and verifiers, so every round trip cross-checks two code paths.
 */
public final class DetachedJws {
    /** The HTTP header that carries the detached JWS, on requests and on receipts. */
    public static final String HTTP_HEADER = "X-JWS-Signature";
    public static final JOSEObjectType TYPE = JOSEObjectType.JOSE;
    /** The only algorithms this profile ever accepts. */
    public static final Set<JWSAlgorithm> SUPPORTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    /** How old an {@code iat} may be by default: long enough for a slow upload, short enough to limit replays. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);
    /** How far in the future an {@code iat} may be, for clocks that disagree. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    /** A header value longer than this is not ours (an RSA-4096 signature plus our header is under 1 KB). */
    static final int MAX_HEADER_VALUE_LENGTH = 8 * 1024;
    private static final int MAX_MESSAGE_ID_LENGTH = 200;
    /** Header parameters that carry or point to keys: trusting any of them would let the sender choose its key. */
    private static final Set<String> KEY_PARAMETERS = Set.of("jwk", "jku", "x5c", "x5u");
    private static final String THUMBPRINT = "x5t#S256";

    private final KeyMaterial key;
    private final JWSAlgorithm algorithm;
    private final Clock clock;
    private final Base64URL thumbprint;

    /** Signs with {@code key}: RS256 for an RSA key, ES256 for a P-256 key. */
    public DetachedJws(KeyMaterial key) {
        this(key, defaultAlgorithm(key), Clock.systemUTC());
    }

    public DetachedJws(KeyMaterial key, JWSAlgorithm algorithm) {
        this(key, algorithm, Clock.systemUTC());
    }

    /** @param clock source of {@code iat}; tests pass a fixed clock to produce stale signatures */
    public DetachedJws(KeyMaterial key, JWSAlgorithm algorithm, Clock clock) {
        this.key = Objects.requireNonNull(key, "key");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!SUPPORTED.contains(algorithm)) {
            throw new IllegalArgumentException("algorithm not supported by this profile: " + algorithm);
        }
        if (!fits(algorithm, key.certificate().getPublicKey())) {
            throw new IllegalArgumentException(algorithm + " does not fit a " + key.privateKey().getAlgorithm() + " key");
        }
        this.thumbprint = X509CertUtils.computeSHA256Thumbprint(key.certificate());
    }

    public JWSAlgorithm algorithm() {
        return algorithm;
    }

    /** The certificate whose key signs; the peer must have exactly this one registered for us. */
    public X509Certificate certificate() {
        return key.certificate();
    }

    /**
     * The {@code X-JWS-Signature} value for {@code body}.
     *
     * @param messageId put in {@code jti} when not null, so the receiver can bind the signature to its message id
     */
    public String sign(byte[] body, String messageId) {
        try (Signing s = start(messageId)) {
            s.write(body);
            return s.finish();
        } catch (IOException e) {
            throw new IllegalStateException("signing in memory cannot fail on I/O", e);
        }
    }

    /**
     * Starts signing a body that is written afterwards, chunk by chunk, to the returned stream, so that a large
     * body never has to be held in memory; {@link Signing#finish()} returns the header value.
     */
    public Signing start(String messageId) {
        if (messageId != null && (messageId.isEmpty() || messageId.length() > MAX_MESSAGE_ID_LENGTH)) {
            throw new IllegalArgumentException("message id must have 1 to " + MAX_MESSAGE_ID_LENGTH + " characters");
        }
        JWSHeader.Builder b = new JWSHeader.Builder(algorithm)
                .type(TYPE)
                .x509CertSHA256Thumbprint(thumbprint)
                .customParam("iat", clock.instant().getEpochSecond());
        if (messageId != null) b.customParam("jti", messageId);
        String encodedHeader = b.build().toBase64URL().toString();
        try {
            Signature signature = jcaSignature(algorithm);
            signature.initSign(key.privateKey());
            signature.update((encodedHeader + ".").getBytes(StandardCharsets.US_ASCII));
            return new Signing(encodedHeader, signature, algorithm);
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("cannot start a " + algorithm + " signature", e);
        }
    }

    /**
     * A body being signed: write the exact bytes that go on the wire, then call {@link #finish()} once. Closing it
     * without finishing discards the signature.
     */
    public static final class Signing extends OutputStream {
        private final String encodedHeader;
        private final Signature signature;
        private final JWSAlgorithm algorithm;
        private final OutputStream base64;
        private boolean done;

        private Signing(String encodedHeader, Signature signature, JWSAlgorithm algorithm) {
            this.encodedHeader = encodedHeader;
            this.signature = signature;
            this.algorithm = algorithm;
            // The signing input holds BASE64URL(body), so the body is encoded as it streams past.
            this.base64 = Base64.getUrlEncoder().withoutPadding().wrap(new SignatureSink(signature));
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            base64.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ensureOpen();
            base64.write(b, off, len);
        }

        /** Ends the body and returns the compact detached JWS: {@code <header>..<signature>}. */
        public String finish() throws IOException {
            ensureOpen();
            done = true;
            base64.close(); // flushes the last, partial base64 group into the signature
            try {
                byte[] sig = signature.sign();
                if (algorithm.equals(JWSAlgorithm.ES256)) {
                    // JCA produces DER; JWS wants the fixed-length R || S form (RFC 7518 §3.4).
                    sig = ECDSA.transcodeSignatureToConcat(sig, ECDSA.getSignatureByteArrayLength(algorithm));
                }
                return encodedHeader + ".." + Base64URL.encode(sig);
            } catch (SignatureException | JOSEException e) {
                throw new IllegalStateException("cannot complete the signature", e);
            }
        }

        @Override
        public void close() {
            done = true;
        }

        private void ensureOpen() throws IOException {
            if (done) throw new IOException("signature already finished");
        }
    }

    /** Feeds the signature; never closes anything, as the encoder's close() would otherwise cascade. */
    private static final class SignatureSink extends OutputStream {
        private final Signature signature;

        SignatureSink(Signature signature) {
            this.signature = signature;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                signature.update(b, off, len);
            } catch (SignatureException e) {
                throw new IOException("signature not initialised", e);
            }
        }
    }

    /** What a verified signature tells: the algorithm, when it was made, and the message id it was bound to. */
    public record Verified(JWSAlgorithm algorithm, Instant issuedAt, String messageId, String signerSubject) {
    }

    /** As {@link #verify(byte[], String, X509Certificate, Set, Clock, Duration)} with the system clock and default age. */
    public static Verified verify(byte[] body, String headerValue, X509Certificate registered, Set<JWSAlgorithm> allowed)
            throws JwsVerificationException {
        return verify(body, headerValue, registered, allowed, Clock.systemUTC(), DEFAULT_MAX_AGE);
    }

    /**
     * Verifies that {@code headerValue} is a detached JWS over exactly {@code body}, made with the key of
     * {@code registered} (the only certificate trusted for the expected signer), with an allowed algorithm, recently.
     *
     * @param allowed algorithms the caller accepts; intersected with {@link #SUPPORTED}
     * @param maxAge  how old {@code iat} may be
     */
    public static Verified verify(byte[] body, String headerValue, X509Certificate registered, Set<JWSAlgorithm> allowed,
                                  Clock clock, Duration maxAge) throws JwsVerificationException {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(registered, "registered certificate");
        if (headerValue == null || headerValue.isBlank()) {
            throw new JwsVerificationException(Reason.MISSING, "no " + HTTP_HEADER + " header");
        }
        String compact = headerValue.trim();
        if (compact.length() > MAX_HEADER_VALUE_LENGTH) {
            throw new JwsVerificationException(Reason.MALFORMED, "signature header too long");
        }
        String[] parts = compact.split("\\.", -1);
        if (parts.length != 3) {
            throw new JwsVerificationException(Reason.MALFORMED, "not a compact JWS (expected header..signature)");
        }
        if (!parts[1].isEmpty()) {
            throw new JwsVerificationException(Reason.MALFORMED, "the payload must be detached (header..signature)");
        }
        if (parts[0].isEmpty()) {
            throw new JwsVerificationException(Reason.MALFORMED, "empty header");
        }

        JsonNode header = parseHeader(parts[0]);
        // Before the signature's presence, so that an unsigned "alg":"none" token is reported for what it is.
        JWSAlgorithm alg = checkAlgorithm(header, allowed);
        if (parts[2].isEmpty()) {
            throw new JwsVerificationException(Reason.MALFORMED, "empty signature");
        }
        checkParameters(header);
        Instant now = clock.instant();
        Instant issuedAt = checkFreshness(header, now, maxAge);
        String messageId = textOrNull(header, "jti");
        checkSigner(header, registered);
        PublicKey publicKey = checkCertificate(registered, now);
        if (!fits(alg, publicKey)) {
            throw new JwsVerificationException(Reason.ALGORITHM_NOT_ALLOWED,
                    "algorithm " + alg + " does not fit the registered " + publicKey.getAlgorithm() + " key");
        }

        // The checks above read the header with the strict parser; Nimbus now re-reads the same bytes and does
        // the cryptography. Duplicate keys were refused above, so both parsers saw the same header.
        JWSObject jws;
        try {
            jws = JWSObject.parse(compact, new Payload(body));
        } catch (ParseException e) {
            throw new JwsVerificationException(Reason.MALFORMED, "not a JWS the library accepts");
        }
        if (!alg.equals(jws.getHeader().getAlgorithm())) {
            throw new JwsVerificationException(Reason.MALFORMED, "inconsistent algorithm in header");
        }
        boolean valid;
        try {
            valid = jws.verify(verifierFor(publicKey));
        } catch (JOSEException | IllegalStateException e) {
            throw new JwsVerificationException(Reason.SIGNATURE_INVALID, "signature cannot be verified with the registered key");
        }
        if (!valid) {
            throw new JwsVerificationException(Reason.SIGNATURE_INVALID,
                    "signature does not match the body and the registered key");
        }
        return new Verified(alg, issuedAt, messageId, registered.getSubjectX500Principal().getName());
    }

    private static JsonNode parseHeader(String encoded) throws JwsVerificationException {
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new JwsVerificationException(Reason.MALFORMED, "header is not base64url");
        }
        JsonNode node;
        try {
            // Strict: a duplicate "alg" could otherwise read differently here and in the library.
            node = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new JwsVerificationException(Reason.MALFORMED, "header is not one JSON object without duplicate keys");
        }
        if (node == null || !node.isObject()) {
            throw new JwsVerificationException(Reason.MALFORMED, "header is not a JSON object");
        }
        return node;
    }

    private static JWSAlgorithm checkAlgorithm(JsonNode header, Set<JWSAlgorithm> allowed) throws JwsVerificationException {
        JsonNode a = header.get("alg");
        if (a == null || !a.isTextual()) {
            throw new JwsVerificationException(Reason.MALFORMED, "header has no alg");
        }
        // Compare by exact name: "none", "HS256", "RS512", "rs256"… are all outside the set.
        for (JWSAlgorithm candidate : SUPPORTED) {
            if (candidate.getName().equals(a.asText()) && allowed != null && allowed.contains(candidate)) {
                return candidate;
            }
        }
        throw new JwsVerificationException(Reason.ALGORITHM_NOT_ALLOWED, "algorithm not allowed: " + printable(a.asText()));
    }

    private static void checkParameters(JsonNode header) throws JwsVerificationException {
        for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (KEY_PARAMETERS.contains(name)) {
                throw new JwsVerificationException(Reason.KEY_IN_HEADER,
                        "header parameter '" + name + "' not accepted: only the registered certificate is trusted");
            }
        }
        if (header.has("crit")) {
            throw new JwsVerificationException(Reason.MALFORMED, "critical header parameters are not supported");
        }
        if (header.has("b64")) {
            throw new JwsVerificationException(Reason.MALFORMED, "b64 is not part of this profile (payload is base64url)");
        }
        JsonNode typ = header.get("typ");
        if (typ == null || !typ.isTextual() || !TYPE.getType().equals(typ.asText().toUpperCase(Locale.ROOT))) {
            throw new JwsVerificationException(Reason.MALFORMED, "typ must be " + TYPE.getType());
        }
        JsonNode jti = header.get("jti");
        if (jti != null && (!jti.isTextual() || jti.asText().isEmpty() || jti.asText().length() > MAX_MESSAGE_ID_LENGTH)) {
            throw new JwsVerificationException(Reason.MALFORMED, "jti must be a non-empty string");
        }
    }

    private static Instant checkFreshness(JsonNode header, Instant now, Duration maxAge) throws JwsVerificationException {
        JsonNode iat = header.get("iat");
        if (iat == null) {
            throw new JwsVerificationException(Reason.NOT_FRESH, "header has no iat");
        }
        if (!iat.isIntegralNumber() || !iat.canConvertToLong()) {
            throw new JwsVerificationException(Reason.MALFORMED, "iat must be an integer number of seconds");
        }
        Instant issuedAt;
        try {
            issuedAt = Instant.ofEpochSecond(iat.asLong());
        } catch (java.time.DateTimeException e) {
            throw new JwsVerificationException(Reason.MALFORMED, "iat out of range");
        }
        if (issuedAt.isAfter(now.plus(CLOCK_SKEW))) {
            throw new JwsVerificationException(Reason.NOT_FRESH, "signature issued in the future");
        }
        if (issuedAt.isBefore(now.minus(maxAge))) {
            throw new JwsVerificationException(Reason.NOT_FRESH, "signature older than " + maxAge.toSeconds() + " s");
        }
        return issuedAt;
    }

    private static void checkSigner(JsonNode header, X509Certificate registered) throws JwsVerificationException {
        JsonNode t = header.get(THUMBPRINT);
        if (t == null || !t.isTextual()) {
            throw new JwsVerificationException(Reason.NOT_REGISTERED_SIGNER, "header does not name its certificate (x5t#S256)");
        }
        String expected = X509CertUtils.computeSHA256Thumbprint(registered).toString();
        if (!java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                t.asText().getBytes(StandardCharsets.US_ASCII))) {
            throw new JwsVerificationException(Reason.NOT_REGISTERED_SIGNER,
                    "signed with another certificate than the registered one");
        }
    }

    private static PublicKey checkCertificate(X509Certificate registered, Instant now) throws JwsVerificationException {
        try {
            registered.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new JwsVerificationException(Reason.CERTIFICATE_NOT_VALID, "registered certificate expired");
        } catch (CertificateNotYetValidException e) {
            throw new JwsVerificationException(Reason.CERTIFICATE_NOT_VALID, "registered certificate not yet valid");
        }
        boolean[] usage = registered.getKeyUsage();
        if (usage != null && !(usage[0] || usage[1])) {
            throw new JwsVerificationException(Reason.CERTIFICATE_NOT_VALID, "registered certificate is not for signatures");
        }
        PublicKey pub = registered.getPublicKey();
        if (pub instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
            throw new JwsVerificationException(Reason.CERTIFICATE_NOT_VALID, "registered RSA key shorter than 2048 bits");
        }
        return pub;
    }

    private static JWSVerifier verifierFor(PublicKey key) throws JOSEException {
        // No deferred critical parameters: crit was refused above, and Nimbus would refuse unknown ones anyway.
        if (key instanceof RSAPublicKey rsa) return new RSASSAVerifier(rsa, new HashSet<>());
        if (key instanceof ECPublicKey ec) return new ECDSAVerifier(ec, new HashSet<>());
        throw new JOSEException("unsupported key type");
    }

    private static boolean fits(JWSAlgorithm alg, PublicKey key) {
        if (JWSAlgorithm.RS256.equals(alg) || JWSAlgorithm.PS256.equals(alg)) return key instanceof RSAPublicKey;
        if (JWSAlgorithm.ES256.equals(alg) && key instanceof ECPublicKey ec) {
            try {
                return JWSAlgorithm.ES256.equals(ECDSA.resolveAlgorithm(ec));
            } catch (JOSEException e) {
                return false;
            }
        }
        return false;
    }

    private static JWSAlgorithm defaultAlgorithm(KeyMaterial key) {
        PublicKey pub = key.certificate().getPublicKey();
        if (pub instanceof RSAPublicKey) return JWSAlgorithm.RS256;
        if (pub instanceof ECPublicKey) return JWSAlgorithm.ES256;
        throw new IllegalArgumentException("no JWS algorithm for a " + pub.getAlgorithm() + " key");
    }

    private static Signature jcaSignature(JWSAlgorithm alg) throws JOSEException {
        return JWSAlgorithm.ES256.equals(alg) ? ECDSA.getSignerAndVerifier(alg, null) : RSASSA.getSignerAndVerifier(alg, null);
    }

    private static String textOrNull(JsonNode header, String name) {
        JsonNode n = header.get(name);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** An attacker-chosen value echoed in a message: keep it short and plain. */
    private static String printable(String s) {
        String cut = s.length() > 20 ? s.substring(0, 20) + "…" : s;
        return cut.replaceAll("[^A-Za-z0-9_+-]", "?");
    }
}
