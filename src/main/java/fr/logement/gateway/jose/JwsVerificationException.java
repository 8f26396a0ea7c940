package fr.logement.gateway.jose;

/**
 * A detached JWS that was refused, with a reason a caller can act on (401, retry, alert) and a message that never
 * quotes the body, the header value or key material.
 */
public class JwsVerificationException extends Exception {

    /** Why the signature was refused; callers map these to HTTP statuses or delivery outcomes. */
    public enum Reason {
        /** No signature header at all. */
        MISSING,
        /** Not a compact detached JWS, or a header this profile does not accept (payload present, crit, typ…). */
        MALFORMED,
        /** {@code alg} outside the allow-list ({@code none}, HMAC, unknown), or not usable with the registered key. */
        ALGORITHM_NOT_ALLOWED,
        /** The header carries or points to key material ({@code jwk}, {@code jku}, {@code x5c}, {@code x5u}). */
        KEY_IN_HEADER,
        /** The header names another certificate ({@code x5t#S256}) than the one registered for the expected signer. */
        NOT_REGISTERED_SIGNER,
        /** The registered certificate is expired, not yet valid, or not usable for signatures. */
        CERTIFICATE_NOT_VALID,
        /** {@code iat} missing, too old or in the future. */
        NOT_FRESH,
        /** The signature does not verify with the registered key over these exact body bytes. */
        SIGNATURE_INVALID
    }

    private final Reason reason;

    public JwsVerificationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public JwsVerificationException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
