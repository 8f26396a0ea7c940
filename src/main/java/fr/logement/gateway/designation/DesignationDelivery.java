package fr.logement.gateway.designation;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.config.PartnerDirectory;
import fr.logement.gateway.delivery.DeliveryException;
import fr.logement.gateway.delivery.DeliveryReceipt;
import fr.logement.gateway.delivery.DesignationSender;
import fr.logement.gateway.designation.DesignationStatus.State;
import fr.logement.gateway.documents.DocumentSource;
import fr.logement.gateway.http.Json;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.Digests;
import fr.logement.gateway.journal.Journal;
import fr.logement.gateway.journal.JournalEntry.Direction;
import fr.logement.gateway.metrics.GatewayMetrics;
import fr.logement.gateway.policy.FilterResult;
import fr.logement.gateway.policy.OutboundFilter;
import org.apache.camel.Exchange;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of delivering one queued designation to its landlord: skip what was already delivered, park what
 * expired, filter for (landlord, designation), send by the landlord's protocol, and journal the verified receipt.
 */
public final class DesignationDelivery {
    private static final Logger LOG = LogManager.getLogger(DesignationDelivery.class);
    public static final String OUTCOME = "gatewayOutcome";
    public static final String PROTOCOL = "gatewayProtocol";
    static final String FILTERED = "gateway.filtered";
    static final String RECEIPT = "gateway.receipt";
    static final String PURPOSE = "designation";

    private final DesignationRegistry registry;
    private final PartnerDirectory partners;
    private final OutboundFilter filter;
    private final Map<Partner.Protocol, DesignationSender> senders;
    private final DocumentSource documents;
    private final Journal journal;
    private final AuditTrail audit;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final int maxAttempts;
    private final AlsNotifier notifier;
    private volatile long waitMillis = 500;

    public DesignationDelivery(DesignationRegistry registry, PartnerDirectory partners, OutboundFilter filter,
                               Map<Partner.Protocol, DesignationSender> senders, DocumentSource documents,
                               Journal journal, AuditTrail audit, GatewayMetrics metrics, Clock clock, int maxAttempts,
                               AlsNotifier notifier) {
        this.registry = registry;
        this.partners = partners;
        this.filter = filter;
        this.senders = senders;
        this.documents = documents;
        this.journal = journal;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.notifier = notifier;
    }

    /** Decides what to do with the message: {@code deliver}, {@code duplicate} (already delivered) or {@code expired}. */
    public void prepare(Exchange exchange) {
        String messageId = exchange.getMessage().getHeader(DesignationIntake.MESSAGE_ID, String.class);
        DesignationStatus status = registry.byMessageId(messageId)
                .orElseThrow(() -> new IllegalStateException("no designation row for a queued message"));
        String outcome;
        if (status.state() == State.DELIVERED) {
            outcome = "duplicate";
        } else if (!clock.instant().isBefore(status.deadline())) {
            outcome = "expired";
        } else {
            outcome = "deliver";
        }
        Partner landlord = partners.find(status.landlordId())
                .orElseThrow(() -> new IllegalStateException("landlord no longer configured"));
        if (outcome.equals("deliver") && registry.hasEarlierWaiting(status)) {
            outcome = "wait";   // back on the queue for a little while: the offer's order is kept
        }
        exchange.getMessage().setHeader(OUTCOME, outcome);
        exchange.getMessage().setHeader(PROTOCOL, landlord.protocol().name());
    }

    /** How long a designation waits before looking again for an earlier one of its offer (redelivery delay). */
    public DesignationDelivery waitingTime(long millis) {
        this.waitMillis = millis;
        return this;
    }

    /**
     * An earlier designation of the same offer is still waiting (its landlord failed and it is being retried): this
     * one goes back on the queue, scheduled a little later, as a new message (not a failed attempt: it does not use
     * up its attempts). Artemis's scheduled delivery property.
     */
    public void waitForEarlier(Exchange exchange) {
        exchange.getMessage().removeHeader("JMSXDeliveryCount");
        exchange.getMessage().setHeader("_AMQ_SCHED_DELIVERY", System.currentTimeMillis() + waitMillis);
        LOG.debug("designation {} waits for an earlier one of its offer",
                exchange.getMessage().getHeader(DesignationIntake.MESSAGE_ID, String.class));
    }

    /** Keeps only what (landlord, designation) may receive; the NIR never passes, whatever the configuration. */
    public void filterForLandlord(Exchange exchange) {
        JsonNode designation = Json.parse(exchange.getMessage().getBody(byte[].class));
        exchange.setProperty(FILTERED, filter.filter(DesignationIntake.FLOW, designation, "landlord", PURPOSE));
    }

    public void sendSoap(Exchange exchange) throws DeliveryException {
        send(exchange, Partner.Protocol.soap);
    }

    public void sendRest(Exchange exchange) throws DeliveryException {
        send(exchange, Partner.Protocol.rest);
    }

    private void send(Exchange exchange, Partner.Protocol protocol) throws DeliveryException {
        String messageId = exchange.getMessage().getHeader(DesignationIntake.MESSAGE_ID, String.class);
        Partner landlord = landlordOf(exchange);
        FilterResult filtered = exchange.getProperty(FILTERED, FilterResult.class);
        DeliveryReceipt receipt = senders.get(protocol).send(landlord, messageId, filtered.filtered(), documents);
        if (!messageId.equals(receipt.messageId())) {
            throw new DeliveryException("the receipt acknowledges another message");
        }
        exchange.setProperty(RECEIPT, receipt);
    }

    /** Journals the delivery with the categories sent and dropped, and the landlord's verified receipt. */
    public void delivered(Exchange exchange) {
        String messageId = exchange.getMessage().getHeader(DesignationIntake.MESSAGE_ID, String.class);
        Partner landlord = landlordOf(exchange);
        FilterResult filtered = exchange.getProperty(FILTERED, FilterResult.class);
        DeliveryReceipt receipt = exchange.getProperty(RECEIPT, DeliveryReceipt.class);
        registry.delivered(messageId, receipt.receiptId(), receipt.receiptDigest());
        journal.record(messageId, DesignationIntake.FLOW, landlord.id(), Direction.OUT, "DELIVERED",
                Digests.sha256(Json.bytes(filtered.filtered())), PURPOSE, List.copyOf(filtered.categoriesSent()),
                List.copyOf(filtered.categoriesDropped()), filtered.droppedPaths(),
                "receipt " + receipt.receiptId() + " " + receipt.receiptDigest());
        audit.record("gateway", null, "designation.sent", messageId, "delivered", "to " + landlord.id());
        metrics.sent(DesignationIntake.FLOW, landlord.id());
        registry.byMessageId(messageId).ifPresent(s ->
                metrics.deliveryLatency(DesignationIntake.FLOW, landlord.id(), Duration.between(s.receivedAt(), clock.instant())));
        LOG.info("designation {} delivered to {}", messageId, landlord.id());
    }

    /** Parks a designation whose deadline passed before delivery, and tells ALS. */
    public void expired(Exchange exchange) {
        String messageId = exchange.getMessage().getHeader(DesignationIntake.MESSAGE_ID, String.class);
        registry.setState(messageId, State.EXPIRED, "expired");
        DesignationStatus s = registry.byMessageId(messageId).orElseThrow();
        journal.record(messageId, DesignationIntake.FLOW, s.landlordId(), Direction.OUT, "EXPIRED", null, PURPOSE,
                List.of(), List.of(), List.of(), "deadline passed before delivery");
        audit.record("gateway", null, "designation.parked", messageId, "expired", null);
        LOG.info("designation {} parked: its deadline passed before delivery", messageId);
        notifyAls(s, State.EXPIRED, "expired");
    }

    /** Records a failed attempt; after the last one the broker dead-letters the message and ALS is told. */
    public void attemptFailed(Exchange exchange) {
        String messageId = exchange.getMessage().getHeader(DesignationIntake.MESSAGE_ID, String.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = cause instanceof DeliveryException ? cause.getMessage() : "internal error";
        Integer delivery = exchange.getMessage().getHeader("JMSXDeliveryCount", Integer.class);
        int attempt = delivery == null ? 1 : delivery;
        registry.attemptFailed(messageId, reason);
        DesignationStatus s = registry.byMessageId(messageId).orElseThrow();
        metrics.deliveryFailed(DesignationIntake.FLOW, s.landlordId());
        journal.record(messageId, DesignationIntake.FLOW, s.landlordId(), Direction.OUT, "ATTEMPT_FAILED", null,
                PURPOSE, List.of(), List.of(), List.of(), "attempt " + attempt + ": " + reason);
        LOG.warn("designation {} to {}: attempt {} of {} failed: {}", messageId, s.landlordId(), attempt, maxAttempts, reason);
        if (attempt >= maxAttempts) {
            registry.setState(messageId, State.DEAD_LETTERED, reason);
            audit.record("gateway", null, "designation.parked", messageId, "dead_lettered", null);
            notifyAls(s, State.DEAD_LETTERED, reason);
        }
    }

    private void notifyAls(DesignationStatus s, State state, String reason) {
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("messageId", s.messageId());
        notice.put("designationId", s.designationId());
        notice.put("landlordId", s.landlordId());
        notice.put("status", state.name());
        notice.put("reason", reason);
        notifier.send(Json.bytes(notice));
    }

    private Partner landlordOf(Exchange exchange) {
        String messageId = exchange.getMessage().getHeader(DesignationIntake.MESSAGE_ID, String.class);
        String landlordId = registry.byMessageId(messageId).orElseThrow().landlordId();
        return partners.find(landlordId).orElseThrow();
    }
}
