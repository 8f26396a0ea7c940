package fr.logement.gateway.allocation;

import java.time.Instant;
import java.time.LocalDate;

/** One accepted allocation event as the gateway keeps it: what it was about, never the free text. */
public record StoredEvent(String landlordId, String messageId, String type, String designationMessageId,
                          String numeroUnique, String decision, LocalDate eventDate, String bodyDigest, String channel,
                          Instant receivedAt, String status, String receipt, String forwarded) {
    public static final String ACCEPTED = "ACCEPTED";
    public static final String FORWARDED = "FORWARDED";
}
