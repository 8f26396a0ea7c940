package fr.logement.gateway.ingress;

import org.apache.camel.Exchange;

/**
 * The size limit of one endpoint. The HTTPS endpoints share one port, and so one server whose own limit is the
 * largest of them (designations with their documents); each smaller flow (allocation events, employee choices,
 * employer validations) checks its own limit here, first, and refuses a larger body with 413.
 */
public final class BodyLimit {

    /** Refuses with 413 a body over {@code maxBytes}. */
    public void atMost(Exchange exchange, long maxBytes) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        long length = body == null ? 0 : body.length;
        if (length > maxBytes) {
            throw new RejectedException(413, "too_large", "body", "larger than " + maxBytes + " bytes");
        }
    }
}
