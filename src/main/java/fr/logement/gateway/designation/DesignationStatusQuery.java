package fr.logement.gateway.designation;

import fr.logement.gateway.allocation.AllocationEventStore;
import fr.logement.gateway.allocation.StoredEvent;
import fr.logement.gateway.http.HttpResponses;
import fr.logement.gateway.ingress.RejectedException;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.Journal;
import fr.logement.gateway.journal.JournalEntry;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers ALS's question "where is my designation?": its state, attempts, receipt, journal history and the
 * landlord's allocation events (decision history).
 */
public final class DesignationStatusQuery {
    private final DesignationRegistry registry;
    private final Journal journal;
    private final AuditTrail audit;
    private final AllocationEventStore events;

    public DesignationStatusQuery(DesignationRegistry registry, Journal journal, AuditTrail audit,
                                  AllocationEventStore events) {
        this.registry = registry;
        this.journal = journal;
        this.audit = audit;
        this.events = events;
    }

    public void answer(Exchange exchange) {
        exchange.setProperty(HttpResponses.FLOW, "designation-status");
        String partner = exchange.getProperty(HttpResponses.PARTNER, String.class);
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        String uri = path != null ? path : exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        String messageId = uri == null ? "" : uri.substring(uri.lastIndexOf('/') + 1);
        if (!messageId.matches("[A-Za-z0-9-]{1,80}")) {
            throw new RejectedException(400, "invalid_message_id", "messageId", "expected the message id returned with 202");
        }
        DesignationStatus s = registry.byMessageId(messageId)
                .filter(d -> d.submittedBy().equals(partner)) // another submitter's designation does not exist for you
                .orElseThrow(() -> new RejectedException(404, "not_found", "messageId", "no designation with this message id"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messageId", s.messageId());
        body.put("designationId", s.designationId());
        body.put("landlordId", s.landlordId());
        body.put("status", s.state().name());
        body.put("reason", s.reason());
        body.put("deadline", s.deadline().toString());
        body.put("receivedAt", s.receivedAt().toString());
        body.put("updatedAt", s.updatedAt().toString());
        body.put("attempts", s.attempts());
        body.put("deliveredAt", s.deliveredAt() == null ? null : s.deliveredAt().toString());
        body.put("receiptId", s.receiptId());
        body.put("receiptDigest", s.receiptDigest());
        List<Map<String, Object>> history = new ArrayList<>();
        for (JournalEntry e : journal.entriesOf(messageId)) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("at", e.recordedAt().toString());
            h.put("direction", e.direction().name());
            h.put("partner", e.partnerId());
            h.put("status", e.status());
            h.put("categoriesSent", e.categoriesSent());
            h.put("categoriesDropped", e.categoriesDropped());
            h.put("detail", e.detail());
            history.add(h);
        }
        body.put("history", history);
        // The landlord's decision history: what it reported, in the order it was accepted.
        List<Map<String, Object>> decisions = new ArrayList<>();
        for (StoredEvent e : events.ofDesignation(messageId)) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("receivedAt", e.receivedAt().toString());
            d.put("messageId", e.messageId());
            d.put("type", e.type());
            d.put("numeroUnique", e.numeroUnique());
            d.put("decision", e.decision());
            d.put("eventDate", e.eventDate().toString());
            d.put("channel", e.channel());
            decisions.add(d);
        }
        body.put("events", decisions);
        audit.record(partner, null, "designation.status.read", messageId, "ok", null);
        HttpResponses.json(exchange, 200, body);
    }
}
