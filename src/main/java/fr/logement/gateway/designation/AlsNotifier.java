package fr.logement.gateway.designation;

import fr.logement.gateway.broker.Broker;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Session;

/**
 * Tells ALS (queue als.notifications) that a designation was parked. Sends on its own connection, outside the
 * delivery's transaction: the last failed attempt rolls that transaction back, and the notice must survive it.
 */
public final class AlsNotifier {
    private final ConnectionFactory connectionFactory;

    public AlsNotifier(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    public void send(byte[] notice) {
        try (Connection c = connectionFactory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var message = s.createBytesMessage();
            message.writeBytes(notice);
            s.createProducer(s.createQueue(Broker.ALS_NOTIFICATIONS)).send(message);
        } catch (JMSException e) {
            throw new IllegalStateException("cannot notify ALS: " + e.getMessage(), e);
        }
    }
}
