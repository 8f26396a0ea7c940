package fr.logement.gateway.allocation;

import fr.logement.gateway.config.Partner;
import fr.logement.gateway.delivery.DeliveryException;
import fr.logement.gateway.jose.DetachedJws;
import fr.logement.gateway.journal.Digests;
import fr.logement.gateway.journal.Journal;
import fr.logement.gateway.journal.JournalEntry.Direction;
import fr.logement.gateway.metrics.GatewayMetrics;
import org.apache.camel.Exchange;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * When ALS has an endpoint (partners.yaml, gateway.als.endpoint), pushes each accepted allocation event from its
 * queue to it: JSON signed with the gateway's detached JWS, over mutual TLS. Anything but a 2xx is a failed attempt:
 * the broker redelivers with backoff, then dead-letters to DLQ.als.allocation-events.
 */
public final class AlsEventPush {
    private static final Logger LOG = LogManager.getLogger(AlsEventPush.class);
    public static final String MESSAGE_ID_HEADER = "X-Message-Id";

    private final Partner als;
    private final HttpClient http;
    private final DetachedJws signer;
    private final Journal journal;
    private final GatewayMetrics metrics;

    public AlsEventPush(Partner als, SSLContext tls, DetachedJws signer, Journal journal, GatewayMetrics metrics) {
        this.als = als;
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        this.signer = signer;
        this.journal = journal;
        this.metrics = metrics;
    }

    public void send(Exchange exchange) throws DeliveryException, InterruptedException {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String messageId = exchange.getMessage().getHeader(AllocationEventIntake.MESSAGE_ID, String.class);
        HttpRequest request = HttpRequest.newBuilder(als.endpoint()).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header(DetachedJws.HTTP_HEADER, signer.sign(body, messageId))
                .header(MESSAGE_ID_HEADER, messageId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new DeliveryException("ALS endpoint: " + e.getClass().getSimpleName());
        }
        if (status / 100 != 2) throw new DeliveryException("ALS endpoint answered " + status);
        journal.record(messageId, AllocationEventIntake.FLOW, als.id(), Direction.OUT, "DELIVERED", Digests.sha256(body),
                AllocationEventIntake.FLOW, List.of(), List.of(), List.of(), "endpoint");
        metrics.sent(AllocationEventIntake.FLOW + "_push", als.id());
    }

    /** A failed attempt: one short line (no content), then the exception goes on so the broker redelivers. */
    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("allocation event {} not pushed to ALS: {}",
                exchange.getMessage().getHeader(AllocationEventIntake.MESSAGE_ID, String.class),
                e == null ? "unknown" : e.getMessage());
        metrics.deliveryFailed(AllocationEventIntake.FLOW + "_push", als.id());
    }
}
