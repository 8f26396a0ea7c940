package fr.logement.gateway.delivery;

/**
 * A delivery that did not end with a verified receipt; the broker retries it with backoff, then dead-letters it.
 * The message never holds personal data: only the partner, the status and the reason.
 */
public class DeliveryException extends Exception {
    public DeliveryException(String message) {
        super(message);
    }

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
