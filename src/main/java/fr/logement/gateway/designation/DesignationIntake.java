package fr.logement.gateway.designation;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.designation.DesignationStatus.State;
import fr.logement.gateway.http.HttpResponses;
import fr.logement.gateway.http.Json;
import fr.logement.gateway.ingress.designation.DesignationValidator;
import fr.logement.gateway.ingress.designation.DocumentExtractor;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.Digests;
import fr.logement.gateway.journal.Journal;
import fr.logement.gateway.journal.JournalEntry.Direction;
import fr.logement.gateway.metrics.GatewayMetrics;
import fr.logement.gateway.policy.FilterResult;
import fr.logement.gateway.policy.OutboundFilter;
import org.apache.camel.Exchange;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Takes a designation from ALS in: validates it, stores its documents once, drops at the door what no landlord may
 * receive, journals it, and prepares the message for the durable queue; ALS gets 202 only after the queue has it.
 */
public final class DesignationIntake {
    public static final String FLOW = "designation";
    /** JMS property names: Java identifiers, so the broker keeps them. */
    public static final String MESSAGE_ID = "gatewayMessageId";
    public static final String LANDLORD_ID = "gatewayLandlordId";
    static final String ALREADY_QUEUED = "gateway.alreadyQueued";

    private final DesignationValidator validator;
    private final DocumentExtractor documents;
    private final OutboundFilter filter;
    private final DesignationRegistry registry;
    private final Journal journal;
    private final AuditTrail audit;
    private final GatewayMetrics metrics;

    public DesignationIntake(DesignationValidator validator, DocumentExtractor documents, OutboundFilter filter,
                             DesignationRegistry registry, Journal journal, AuditTrail audit, GatewayMetrics metrics) {
        this.validator = validator;
        this.documents = documents;
        this.filter = filter;
        this.registry = registry;
        this.journal = journal;
        this.audit = audit;
        this.metrics = metrics;
    }

    /** Validates, stores documents, minimises and journals; leaves the minimised designation as the message body. */
    public void accept(Exchange exchange) throws Exception {
        exchange.setProperty(HttpResponses.FLOW, FLOW);
        String partner = exchange.getProperty(HttpResponses.PARTNER, String.class);
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        JsonNode designation = Json.parse(raw);
        validator.validate(designation);

        String designationId = designation.path("designationId").asText();
        Optional<DesignationStatus> existing = registry.byDesignationId(partner, designationId);
        if (existing.isPresent() && existing.get().state() != State.RECEIVED) {
            // ALS sent it again (a lost answer, a retry): same message id, no second effect.
            exchange.setProperty(ALREADY_QUEUED, existing.get());
            return;
        }
        documents.extract(designation);
        FilterResult minimised = filter.minimiseForFlow(FLOW, designation, FLOW);
        String messageId = existing.map(DesignationStatus::messageId).orElse("dsg-" + UUID.randomUUID());
        if (existing.isEmpty()) {
            registry.create(messageId, designationId, partner, designation.path("landlordId").asText(),
                    designation.path("offer").path("rplsId").asText(),
                    Instant.parse(designation.path("offer").path("designationDeadline").asText()));
            Map<String, Integer> ranks = new java.util.LinkedHashMap<>();
            for (JsonNode c : designation.path("candidates")) {
                ranks.put(c.at("/identity/numeroUnique").asText(), c.path("rank").asInt());
            }
            registry.addCandidates(messageId, ranks);
        }
        journal.record(messageId, FLOW, partner, Direction.IN, "RECEIVED", Digests.sha256(raw), FLOW,
                List.copyOf(minimised.categoriesSent()), List.copyOf(minimised.categoriesDropped()),
                minimised.droppedPaths(), null);
        audit.record(partner, null, "designation.received", messageId, "accepted", null);

        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeaders(Map.of(
                MESSAGE_ID, messageId,
                LANDLORD_ID, designation.path("landlordId").asText(),
                // Deliveries for the same home keep their order.
                "JMSXGroupID", designation.path("offer").path("rplsId").asText()));
        exchange.getMessage().setBody(Json.bytes(minimised.filtered()));
    }

    /** False when ALS sent a designation it had already sent: it is on the queue already. */
    public boolean isNew(Exchange exchange) {
        return exchange.getProperty(ALREADY_QUEUED) == null;
    }

    /** Called once the broker holds the message durably: now, and only now, ALS gets its 202. */
    public void queued(Exchange exchange) {
        DesignationStatus already = exchange.getProperty(ALREADY_QUEUED, DesignationStatus.class);
        String partner = exchange.getProperty(HttpResponses.PARTNER, String.class);
        String messageId;
        String state;
        if (already != null) {
            messageId = already.messageId();
            state = already.state().name();
            audit.record(partner, null, "designation.received", messageId, "duplicate", null);
        } else {
            messageId = exchange.getMessage().getHeader(MESSAGE_ID, String.class);
            registry.markQueued(messageId);
            state = registry.byMessageId(messageId).map(d -> d.state().name()).orElse(State.QUEUED.name());
            metrics.received(FLOW, partner);
        }
        HttpResponses.json(exchange, 202, Map.of("messageId", messageId, "status", state,
                "statusUrl", "/api/v1/designations/" + messageId));
    }
}
