package fr.logement.gateway.journal;

import java.time.Instant;
import java.util.List;

/**
 * One message received or sent: enough to answer "who received which categories about whom, for which purpose",
 * with the digest of the body but never the body itself.
 */
public record JournalEntry(String messageId, String flow, String partnerId, Direction direction, Instant recordedAt,
                           String status, String bodyDigest, String purpose, List<String> categoriesSent,
                           List<String> categoriesDropped, List<String> droppedPaths, String detail) {

    public enum Direction { IN, OUT }
}
