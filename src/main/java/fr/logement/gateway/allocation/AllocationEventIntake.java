package fr.logement.gateway.allocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.allocation.AllocationEventRules.Checked;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.config.PartnerDirectory;
import fr.logement.gateway.http.HttpResponses;
import fr.logement.gateway.http.Json;
import fr.logement.gateway.ingress.RejectedException;
import fr.logement.gateway.jose.DetachedJws;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.Digests;
import fr.logement.gateway.journal.Journal;
import fr.logement.gateway.journal.JournalEntry.Direction;
import fr.logement.gateway.metrics.GatewayMetrics;
import fr.logement.gateway.policy.FilterResult;
import fr.logement.gateway.policy.OutboundFilter;
import org.apache.camel.Exchange;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The steps of the allocation-event flow (routes/allocation-events.yaml), whichever channel the event came by:
 * accept (schema, authorisation, state, idempotency by message id), make it durable with its receipt and score
 * notices, forward it to ALS filtered for (als, allocation_event), and answer with the signed receipt.
 */
public final class AllocationEventIntake {
    public static final String FLOW = "allocation_event";
    /** Exchange properties. */
    public static final String CHANNEL = "gateway.channel";
    public static final String DIGEST = "gateway.bodyDigest";
    static final String STORED = "gateway.storedEvent";
    /** JMS properties: the event's id, and Artemis' duplicate id so a re-forward never duplicates. */
    public static final String MESSAGE_ID = "gatewayMessageId";
    public static final String LANDLORD_ID = "gatewayLandlordId";
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    private final AllocationEventRules rules;
    private final AllocationEventStore store;
    private final PartnerDirectory partners;
    private final OutboundFilter filter;
    private final Journal journal;
    private final AuditTrail audit;
    private final GatewayMetrics metrics;
    private final DetachedJws signer;
    private final Clock clock;
    /** Lock stripes: bounded memory whatever the number of designations and messages. */
    private final Object[] locks = new Object[4096];

    public AllocationEventIntake(AllocationEventRules rules, AllocationEventStore store, PartnerDirectory partners,
                                 OutboundFilter filter, Journal journal, AuditTrail audit, GatewayMetrics metrics,
                                 DetachedJws signer, Clock clock) {
        this.rules = rules;
        this.store = store;
        this.partners = partners;
        this.filter = filter;
        this.journal = journal;
        this.audit = audit;
        this.metrics = metrics;
        this.signer = signer;
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) locks[i] = new Object();
    }

    /** REST: the body is the exact JSON the landlord signed. */
    public void acceptRest(Exchange exchange) {
        exchange.setProperty(HttpResponses.FLOW, FLOW);
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        JsonNode event = Json.parse(raw);
        accept(exchange, event, "rest", Digests.sha256(raw));
    }

    /** SOAP: the endpoint has put the event (from the signed Body) in the body and its digest in a property. */
    public void acceptSoap(Exchange exchange) {
        exchange.setProperty(HttpResponses.FLOW, FLOW);
        accept(exchange, exchange.getMessage().getBody(JsonNode.class), "soap", exchange.getProperty(DIGEST, String.class));
    }

    private void accept(Exchange exchange, JsonNode event, String channel, String digest) {
        String partnerId = exchange.getProperty(HttpResponses.PARTNER, String.class);
        Partner landlord = partners.find(partnerId).orElseThrow();
        rules.validate(event);
        String messageId = event.path("messageId").asText();
        // Events of one designation are checked against each other's state one at a time; an event outside any
        // designation has no state to check, only its id (the database refuses a second row with it).
        String lockKey = event.has("designationId") ? "d:" + event.path("designationId").asText()
                : "m:" + partnerId + ":" + messageId;
        StoredEvent stored;
        synchronized (locks[Math.floorMod(lockKey.hashCode(), locks.length)]) {
            Optional<StoredEvent> prior = store.find(partnerId, messageId);
            if (prior.isPresent()) {
                stored = sameMessageAgain(prior.get(), digest, partnerId);
            } else {
                stored = store(landlord, event, channel, digest);
            }
        }
        exchange.setProperty(STORED, stored);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeaders(Map.of(MESSAGE_ID, messageId, LANDLORD_ID, partnerId,
                DUPLICATE_ID, "allocation-event:" + partnerId + ":" + messageId));
        exchange.getMessage().setBody(stored.forwarded().getBytes(StandardCharsets.UTF_8));
    }

    /** The exact same message again: the same receipt, no second effect. Another message under a used id: 409. */
    private StoredEvent sameMessageAgain(StoredEvent prior, String digest, String partnerId) {
        if (!prior.bodyDigest().equals(digest)) {
            throw new RejectedException(409, "message_id_reused", "messageId",
                    "this message id was already used for another message");
        }
        audit.record(partnerId, null, FLOW + ".received", prior.messageId(), "duplicate", null);
        return prior;
    }

    private StoredEvent store(Partner landlord, JsonNode event, String channel, String digest) {
        Checked c = rules.check(landlord, event);
        FilterResult forAls = filter.filter(FLOW, event, "als", FLOW);
        ObjectNode forwarded = (ObjectNode) forAls.filtered();
        forwarded.put("landlordId", landlord.id());
        if (c.designation() != null) forwarded.put("designationMessageId", c.designation().messageId());
        Instant now = clock.instant();
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("messageId", c.messageId());
        receipt.put("receiptId", "RCPT-" + UUID.randomUUID());
        receipt.put("receivedAt", now.toString());
        receipt.put("bodyDigest", digest);
        receipt.put("status", "accepted");
        StoredEvent e = new StoredEvent(landlord.id(), c.messageId(), c.type(),
                c.designation() == null ? null : c.designation().messageId(), c.numeroUnique(), c.decision(),
                c.eventDate(), digest, channel, now, StoredEvent.ACCEPTED,
                new String(Json.bytes(receipt), StandardCharsets.UTF_8),
                new String(Json.bytes(forwarded), StandardCharsets.UTF_8));
        List<ScoreNotice> notices = scoreNotices(c);
        try {
            store.together("store the allocation event", tx -> {      // the event, its journal and audit entries: one commit
                store.insert(e, notices);
                journal.record(c.messageId(), FLOW, landlord.id(), Direction.IN, "RECEIVED", digest, FLOW,
                        List.copyOf(forAls.categoriesSent()), List.copyOf(forAls.categoriesDropped()),
                        forAls.droppedPaths(), c.type());
                audit.record(landlord.id(), null, FLOW + ".received", c.messageId(), "accepted", c.type());
                return null;
            });
        } catch (AllocationEventStore.AlreadyStored race) {
            return sameMessageAgain(store.find(landlord.id(), c.messageId()).orElseThrow(), digest, landlord.id());
        }
        metrics.received(FLOW, landlord.id());
        return e;
    }

    /** The event types that may give score notices (see below). */
    private static final java.util.Set<String> GIVES_NOTICES = java.util.Set.of("not_retained_complete_file",
            "file_not_transmitted", "offer_taken_back");

    /** +40 not retained with a complete file; +5 file not transmitted or offer taken back, capped at 100 in all. */
    private List<ScoreNotice> scoreNotices(Checked c) {
        List<ScoreNotice> notices = new ArrayList<>();
        switch (c.type()) {
            case "not_retained_complete_file" -> notices.add(new ScoreNotice(c.numeroUnique(), c.type(), 40));
            case "file_not_transmitted" -> capped(c.numeroUnique(), c.type()).ifPresent(notices::add);
            case "offer_taken_back" -> c.candidates().keySet().forEach(nu -> capped(nu, c.type()).ifPresent(notices::add));
            default -> { }
        }
        return notices;
    }

    private Optional<ScoreNotice> capped(String numeroUnique, String reason) {
        int points = Math.min(5, 100 - store.cappedPointsOf(numeroUnique));
        return points > 0 ? Optional.of(new ScoreNotice(numeroUnique, reason, points)) : Optional.empty();
    }

    /** False when the event was already forwarded to ALS (the same message sent again). */
    public boolean needsForwarding(Exchange exchange) {
        return !StoredEvent.FORWARDED.equals(exchange.getProperty(STORED, StoredEvent.class).status());
    }

    /** The score notices of the event, one JSON message each, for ALS's score-notice queue. */
    public List<byte[]> scoreNoticesForAls(Exchange exchange) {
        StoredEvent e = exchange.getProperty(STORED, StoredEvent.class);
        List<byte[]> out = new ArrayList<>();
        List<ScoreNotice> notices = GIVES_NOTICES.contains(e.type()) ? store.noticesOf(e.landlordId(), e.messageId())
                : List.of();
        for (ScoreNotice n : notices) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("numeroUnique", n.numeroUnique());
            m.put("points", n.points());
            m.put("reason", n.reason());
            m.put("eventMessageId", e.messageId());
            m.put("landlordId", e.landlordId());
            out.add(Json.bytes(m));
        }
        exchange.getMessage().setHeader(DUPLICATE_ID, null);
        return out;
    }

    /** Sets the duplicate id of one score notice (within the split). */
    public void noticeDuplicateId(Exchange exchange) {
        StoredEvent e = exchange.getProperty(STORED, StoredEvent.class);
        JsonNode n = Json.parse(exchange.getMessage().getBody(byte[].class));
        exchange.getMessage().setHeader(DUPLICATE_ID, "score-notice:" + e.landlordId() + ":" + e.messageId() + ":"
                + n.path("numeroUnique").asText());
    }

    /** The event and its notices are on ALS's queues. */
    public void forwarded(Exchange exchange) {
        StoredEvent e = exchange.getProperty(STORED, StoredEvent.class);
        store.together("record the forwarding", tx -> {
            store.markForwarded(e.landlordId(), e.messageId());
            journal.record(e.messageId(), FLOW, "als", Direction.OUT, "FORWARDED", e.bodyDigest(), FLOW, List.of(),
                    List.of(), List.of(), "queue " + fr.logement.gateway.broker.Broker.ALS_ALLOCATION_EVENTS);
            return null;
        });
        metrics.sent(FLOW, "als");
    }

    /** REST answer: the receipt, signed by the gateway (detached JWS in X-JWS-Signature). */
    public void restReceipt(Exchange exchange) {
        byte[] receipt = receipt(exchange).getBytes(StandardCharsets.UTF_8);
        HttpResponses.json(exchange, 200, Json.parse(receipt));
        exchange.getMessage().setBody(receipt);
        exchange.getMessage().setHeader(DetachedJws.HTTP_HEADER,
                signer.sign(receipt, exchange.getProperty(STORED, StoredEvent.class).messageId()));
    }

    /** The stored receipt (the same one for the same message sent again). */
    public static String receipt(Exchange exchange) {
        return exchange.getProperty(STORED, StoredEvent.class).receipt();
    }
}
