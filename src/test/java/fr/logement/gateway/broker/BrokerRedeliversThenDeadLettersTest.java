package fr.logement.gateway.broker;

import fr.logement.gateway.config.GatewaySettings;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real embedded Artemis: redelivery after rollback, the explicit dead-letter queue, persistence over a restart. */
class BrokerRedeliversThenDeadLettersTest {
    @TempDir
    Path data;

    private GatewaySettings settings() {
        return GatewaySettings.load(Path.of("config"), Map.of(
                "gateway.data-dir", data.toString(),
                "gateway.broker.vm-id", "71",
                "gateway.delivery.max-attempts", "3",
                "gateway.delivery.redelivery-delay-ms", "50",
                "gateway.delivery.redelivery-multiplier", "1.0"));
    }

    @Test
    void aMessageRolledBackOnEveryAttemptEndsInTheDeadLetterQueue() throws Exception {
        try (Broker broker = Broker.start(settings());
             Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue(Broker.DESIGNATION_OUTBOUND));
            p.send(s.createTextMessage("m1"));
            s.commit();
            MessageConsumer consumer = s.createConsumer(s.createQueue(Broker.DESIGNATION_OUTBOUND));
            for (int attempt = 1; attempt <= 3; attempt++) {
                Message m = consumer.receive(5000);
                assertNotNull(m, "attempt " + attempt + " should be redelivered");
                assertEquals(attempt, m.getIntProperty("JMSXDeliveryCount"));
                s.rollback();
            }
            assertNull(consumer.receive(500), "no fourth attempt");
            MessageConsumer dlq = s.createConsumer(s.createQueue(Broker.DESIGNATION_DEAD_LETTERS));
            TextMessage dead = (TextMessage) dlq.receive(5000);
            assertNotNull(dead, "the message must be in the dead-letter queue, not dropped");
            assertEquals("m1", dead.getText());
            s.commit();
        }
    }

    @Test
    void theBrokerIsIdleOnlyWhenNothingIsWaitingForAConsumerOrBeingDelivered() throws Exception {
        try (Broker broker = Broker.start(settings());
             Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            assertTrue(broker.isIdle(), "a fresh broker is idle");
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            s.createProducer(s.createQueue(Broker.DESIGNATION_EXPIRED)).send(s.createTextMessage("nobody reads it here"));
            s.commit();
            long deadline = System.currentTimeMillis() + 5000;
            while (broker.depth(Broker.DESIGNATION_EXPIRED).orElseThrow() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1L, broker.depth(Broker.DESIGNATION_EXPIRED).orElseThrow());
            assertTrue(broker.isIdle(), "a message on a queue nobody consumes here is not work in progress");
            MessageConsumer consumer = s.createConsumer(s.createQueue(Broker.DESIGNATION_OUTBOUND));
            s.createProducer(s.createQueue(Broker.DESIGNATION_OUTBOUND)).send(s.createTextMessage("to deliver"));
            s.commit();
            assertTrue(becomes(broker, false), "a message waiting for its consumer is work in progress");
            assertNotNull(consumer.receive(5000));
            assertFalse(broker.isIdle(), "a message received but not yet acknowledged is still in progress");
            s.commit();
            assertTrue(becomes(broker, true), "idle again once acknowledged");
        }
    }

    /** The broker's counters follow a commit asynchronously: whether isIdle() reads {@code idle} within 5 s. */
    private static boolean becomes(Broker broker, boolean idle) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (broker.isIdle() != idle && System.currentTimeMillis() < deadline) Thread.sleep(10);
        return broker.isIdle() == idle;
    }

    @Test
    void aDurableMessageSurvivesABrokerRestart() throws Exception {
        try (Broker broker = Broker.start(settings());
             Connection c = broker.connectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue(Broker.DESIGNATION_OUTBOUND)).send(s.createTextMessage("kept"));
        }
        try (Broker broker = Broker.start(settings());
             Connection c = broker.connectionFactory().createConnection()) {
            c.start();
            assertEquals(1L, broker.depth(Broker.DESIGNATION_OUTBOUND).orElseThrow());
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage m = (TextMessage) s.createConsumer(s.createQueue(Broker.DESIGNATION_OUTBOUND)).receive(5000);
            assertNotNull(m);
            assertEquals("kept", m.getText());
        }
    }
}
