package fr.logement.gateway.operator;

import fr.logement.gateway.broker.Broker;
import fr.logement.gateway.designation.DesignationRegistry;
import fr.logement.gateway.designation.DesignationStatus;
import fr.logement.gateway.http.HttpResponses;
import fr.logement.gateway.ingress.RejectedException;
import fr.logement.gateway.journal.AuditTrail;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dead-letter queues, for operators: what is parked there (ids, partner, when, why — never the content), and
 * replaying one message to the queue it came from once its cause is fixed. Both are audited.
 */
public final class DeadLetters {
    /** Each dead-letter queue and the queue its messages are replayed to. */
    static final Map<String, String> ORIGIN = Map.of(
            Broker.DESIGNATION_DEAD_LETTERS, Broker.DESIGNATION_OUTBOUND,
            Broker.ALS_ALLOCATION_EVENTS_DEAD_LETTERS, Broker.ALS_ALLOCATION_EVENTS);

    /** One parked message. */
    public record DeadLetter(String queue, String messageId, String partner, String parkedAt, String reason) {}

    private final ConnectionFactory factory;
    private final DesignationRegistry designations;
    private final AuditTrail audit;

    public DeadLetters(ConnectionFactory factory, DesignationRegistry designations, AuditTrail audit) {
        this.factory = factory;
        this.designations = designations;
        this.audit = audit;
    }

    @SuppressWarnings("unchecked")
    public List<DeadLetter> list(String operator) {
        List<DeadLetter> out = new ArrayList<>();
        try (Connection c = factory.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String queue : ORIGIN.keySet().stream().sorted().toList()) {
                QueueBrowser b = s.createBrowser(s.createQueue(queue));
                for (Message m : Collections.list((Enumeration<Message>) b.getEnumeration())) {
                    String id = m.getStringProperty("gatewayMessageId");
                    String partner = m.getStringProperty("gatewayLandlordId");
                    String reason = id == null ? null : designations.byMessageId(id).map(DesignationStatus::reason).orElse(null);
                    out.add(new DeadLetter(queue, id, partner,
                            java.time.Instant.ofEpochMilli(m.getJMSTimestamp()).toString(), reason));
                }
                b.close();
            }
        } catch (JMSException e) {
            throw new IllegalStateException("cannot browse the dead-letter queues: " + e.getMessage(), e);
        }
        audit.record("operator", operator, "dead_letters.listed", null, "ok", out.size() + " messages");
        return out;
    }

    /** Moves the message back to its queue; false when no dead-letter queue holds it. */
    public boolean replay(String messageId, String operator) {
        if (messageId == null || !messageId.matches("[A-Za-z0-9_.:-]{1,80}")) {
            throw new RejectedException(400, "invalid_message_id", "messageId", "expected a gateway message id");
        }
        try (Connection c = factory.createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            for (var e : ORIGIN.entrySet()) {
                try (MessageConsumer consumer = s.createConsumer(s.createQueue(e.getKey()),
                        "gatewayMessageId = '" + messageId + "'")) {
                    Message m = consumer.receive(500);
                    if (m == null) continue;
                    Message copy;
                    if (m instanceof BytesMessage bm) {
                        byte[] body = new byte[(int) bm.getBodyLength()];
                        bm.readBytes(body);
                        BytesMessage n = s.createBytesMessage();
                        n.writeBytes(body);
                        copy = n;
                    } else {
                        copy = s.createTextMessage(((TextMessage) m).getText());
                    }
                    for (Enumeration<?> names = m.getPropertyNames(); names.hasMoreElements(); ) {
                        String name = (String) names.nextElement();
                        if (name.startsWith("gateway") || name.equals("JMSXGroupID")) {
                            copy.setObjectProperty(name, m.getObjectProperty(name));
                        }
                    }
                    try (MessageProducer p = s.createProducer(s.createQueue(e.getValue()))) {
                        p.send(copy);
                    }
                    s.commit();
                    designations.byMessageId(messageId).ifPresent(d ->
                            designations.setState(messageId, DesignationStatus.State.QUEUED, "replayed by an operator"));
                    audit.record("operator", operator, "dead_letters.replayed", messageId, "ok", e.getKey());
                    return true;
                }
            }
            s.rollback();
        } catch (JMSException e) {
            throw new IllegalStateException("cannot replay: " + e.getMessage(), e);
        }
        audit.record("operator", operator, "dead_letters.replayed", messageId, "not_found", null);
        return false;
    }

    // --- the operator endpoints (routes/management.yaml) ---

    public void listAnswer(Exchange exchange) {
        exchange.setProperty(HttpResponses.PARTNER, "operator");
        HttpResponses.json(exchange, 200, Map.of("deadLetters", list(operatorOf(exchange))));
    }

    public void replayAnswer(Exchange exchange) {
        exchange.setProperty(HttpResponses.PARTNER, "operator");
        String query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        String id = null;
        if (query != null) {
            for (String kv : query.split("&")) if (kv.startsWith("messageId=")) id = kv.substring("messageId=".length());
        }
        boolean done = replay(id, operatorOf(exchange));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messageId", id);
        body.put("replayed", done);
        if (!done) throw new RejectedException(404, "not_found", "messageId", "no dead-letter queue holds this message");
        HttpResponses.json(exchange, 200, body);
    }

    private static String operatorOf(Exchange exchange) {
        String who = exchange.getMessage().getHeader("X-Operator", String.class);
        return who == null || !who.matches("[A-Za-z0-9_.@-]{1,64}") ? "operator" : who;
    }
}
