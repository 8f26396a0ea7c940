package fr.logement.gateway.registry;

import java.util.Map;

/**
 * The reconciliation report of one file: what was read, kept, refused, and sent to whom, how long it took. A
 * quarantined file has a reason and no counts.
 */
public record ImportReport(String file, String sender, String fileDigest, String outcome, String reason,
                           long read, long valid, long rejected, long duplicates, Map<String, Long> sentPerRecipient,
                           long millis, String rejectsFile) {
    public double recordsPerSecond() {
        return millis == 0 ? read : read * 1000.0 / millis;
    }

    /** A few lines for people: the counts and, per recipient, how many records it got. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append("file ").append(file).append(" from ").append(sender).append(": ").append(outcome);
        if (reason != null) b.append(" (").append(reason).append(")");
        b.append('\n');
        if (!"QUARANTINED".equals(outcome)) {
            b.append(String.format("  read %d, valid %d, rejected %d, duplicates %d, in %.1f s (%.0f records/s)%n",
                    read, valid, rejected, duplicates, millis / 1000.0, recordsPerSecond()));
            sentPerRecipient.forEach((k, v) -> b.append(String.format("  sent to %-24s %d%n", k, v)));
            if (rejected > 0) b.append("  rejects: ").append(rejectsFile).append('\n');
        }
        return b.toString();
    }
}
