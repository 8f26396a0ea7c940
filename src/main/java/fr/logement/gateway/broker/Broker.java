package fr.logement.gateway.broker;

import fr.logement.gateway.config.GatewaySettings;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The message broker: Artemis embedded in-process with a persistent journal under the data directory (default),
 * or an external Artemis when {@code gateway.broker.url} is set. Declares the durable queues, the redelivery
 * backoff and the explicit dead-letter addresses (Artemis would otherwise drop a message after its last attempt).
 */
public final class Broker implements AutoCloseable {
    /** Designations waiting for delivery to a landlord. */
    public static final String DESIGNATION_OUTBOUND = "designation.outbound";
    /** Designations that could not be delivered after every attempt. */
    public static final String DESIGNATION_DEAD_LETTERS = "DLQ.designation.outbound";
    /** Designations whose deadline passed before delivery: parked, never delivered late. */
    public static final String DESIGNATION_EXPIRED = "designation.expired";
    /** Notices for ALS (expired or dead-lettered designations). */
    public static final String ALS_NOTIFICATIONS = "als.notifications";

    /** Allocation events accepted from landlords, filtered for ALS. */
    public static final String ALS_ALLOCATION_EVENTS = "als.allocation-events";
    /** Allocation events that could not be pushed to ALS's endpoint after every attempt. */
    public static final String ALS_ALLOCATION_EVENTS_DEAD_LETTERS = "DLQ.als.allocation-events";
    /** Employers' validations and company points, for ALS. */
    public static final String ALS_EMPLOYER_VALIDATIONS = "als.employer-validations";
    /** Score notices for ALS's applicants, derived from allocation events. */
    public static final String ALS_SCORE_NOTICES = "als.score-notices";

    static final List<String> QUEUES = List.of(DESIGNATION_OUTBOUND, DESIGNATION_DEAD_LETTERS, DESIGNATION_EXPIRED,
            ALS_NOTIFICATIONS, ALS_ALLOCATION_EVENTS, ALS_ALLOCATION_EVENTS_DEAD_LETTERS, ALS_SCORE_NOTICES, ALS_EMPLOYER_VALIDATIONS, "DLQ");

    private final EmbeddedActiveMQ embedded;
    private final ConnectionFactory connectionFactory;

    private Broker(EmbeddedActiveMQ embedded, ConnectionFactory connectionFactory) {
        this.embedded = embedded;
        this.connectionFactory = connectionFactory;
    }

    public static Broker start(GatewaySettings settings) {
        String url = settings.get("gateway.broker.url", "");
        if (!url.isEmpty()) {
            ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url,
                    settings.get("gateway.broker.user", null), settings.get("gateway.broker.password", null));
            return new Broker(null, cf);
        }
        Path dir = settings.dataDir().resolve("broker");
        String vmId = settings.get("gateway.broker.vm-id", "0");
        try {
            ConfigurationImpl cfg = configuration(settings, dir, "gateway-embedded");
            cfg.addAcceptorConfiguration("in-vm", "vm://" + vmId);
            EmbeddedActiveMQ server = new EmbeddedActiveMQ();
            server.setConfiguration(cfg);
            server.start();
            return new Broker(server, new ActiveMQConnectionFactory("vm://" + vmId));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded broker in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A broker of its own, for several gateway instances (command {@code broker}): the same durable queues,
     * redelivery and dead-letter settings as the embedded one, its journal under {@code dir}, accepting
     * connections on {@code host:port}. The caller stops it.
     */
    public static EmbeddedActiveMQ serve(GatewaySettings settings, Path dir, String host, int port) {
        try {
            ConfigurationImpl cfg = configuration(settings, dir, "gateway-broker");
            cfg.addAcceptorConfiguration("tcp", "tcp://" + host + ":" + port);
            EmbeddedActiveMQ server = new EmbeddedActiveMQ();
            server.setConfiguration(cfg);
            server.start();
            return server;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the broker in " + dir + " on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    private static ConfigurationImpl configuration(GatewaySettings settings, Path dir, String name) {
        ConfigurationImpl cfg = new ConfigurationImpl();
        cfg.setName(name);
        cfg.setPersistenceEnabled(true);
        cfg.setSecurityEnabled(false);
        cfg.setJournalType(JournalType.NIO);
        cfg.setJournalDirectory(dir.resolve("journal").toString());
        cfg.setBindingsDirectory(dir.resolve("bindings").toString());
        cfg.setPagingDirectory(dir.resolve("paging").toString());
        cfg.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
        cfg.setNodeManagerLockDirectory(dir.resolve("lock").toString());
        cfg.setJMXManagementEnabled(false);
        cfg.setGracefulShutdownEnabled(true);
        cfg.setGracefulShutdownTimeout(10_000);
        cfg.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setExpiryAddress(SimpleString.of("DLQ"))
                .setMaxDeliveryAttempts(settings.intValue("gateway.delivery.max-attempts")));
        cfg.addAddressSetting(DESIGNATION_OUTBOUND, deliverySettings(settings, DESIGNATION_DEAD_LETTERS));
        cfg.addAddressSetting(ALS_ALLOCATION_EVENTS, deliverySettings(settings, ALS_ALLOCATION_EVENTS_DEAD_LETTERS));
        for (String q : QUEUES) {
            cfg.addQueueConfiguration(QueueConfiguration.of(q).setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
        return cfg;
    }

    /** Backoff between attempts and an explicit dead-letter address, as application.properties says. */
    static AddressSettings deliverySettings(GatewaySettings s, String deadLetterAddress) {
        return new AddressSettings()
                .setMaxDeliveryAttempts(s.intValue("gateway.delivery.max-attempts"))
                .setRedeliveryDelay(s.longValue("gateway.delivery.redelivery-delay-ms"))
                .setRedeliveryMultiplier(s.doubleValue("gateway.delivery.redelivery-multiplier"))
                .setMaxRedeliveryDelay(s.longValue("gateway.delivery.max-redelivery-delay-ms"))
                .setDeadLetterAddress(SimpleString.of(deadLetterAddress))
                .setExpiryAddress(SimpleString.of(deadLetterAddress))
                .setAutoCreateDeadLetterResources(false);
    }

    public ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Messages waiting in a queue of the embedded broker (empty for an external broker). */
    public OptionalLong depth(String queue) {
        if (embedded == null || embedded.getActiveMQServer() == null) return OptionalLong.empty();
        Queue q = embedded.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return q == null ? OptionalLong.empty() : OptionalLong.of(q.getMessageCount());
    }

    /**
     * Whether every queue of the embedded broker that has a consumer is empty, nothing in delivery (true for an
     * external broker, which this process cannot see into). Queues nobody consumes here do not count.
     */
    public boolean isIdle() {
        if (embedded == null || embedded.getActiveMQServer() == null) return true;
        for (String name : QUEUES) {
            Queue q = embedded.getActiveMQServer().locateQueue(SimpleString.of(name));
            if (q != null && q.getConsumerCount() > 0 && (q.getMessageCount() > 0 || q.getDeliveringCount() > 0)) return false;
        }
        return true;
    }

    public boolean isRunning() {
        return embedded == null || (embedded.getActiveMQServer() != null && embedded.getActiveMQServer().isActive());
    }

    public List<String> queues() {
        return QUEUES;
    }

    @Override
    public void close() {
        if (connectionFactory instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing on shutdown: nothing to recover
            }
        }
        if (embedded != null) {
            try {
                embedded.stop();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the embedded broker: " + e.getMessage(), e);
            }
        }
    }
}
