package fr.logement.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.ingress.Problem;
import fr.logement.gateway.ingress.RejectedException;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.JournalUnavailableException;
import fr.logement.gateway.metrics.GatewayMetrics;
import org.apache.camel.Exchange;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Builds the gateway's HTTP answers: JSON bodies, and for refusals the status, every problem (path and reason) and
 * an audit row; request headers are never echoed back.
 */
public final class HttpResponses {
    private static final Logger LOG = LogManager.getLogger(HttpResponses.class);
    public static final String PARTNER = "gateway.partner";
    public static final String FLOW = "gateway.flow";

    private final AuditTrail audit;
    private final GatewayMetrics metrics;

    public HttpResponses(AuditTrail audit, GatewayMetrics metrics) {
        this.audit = audit;
        this.metrics = metrics;
    }

    public static void json(Exchange exchange, int status, Object body) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(Json.bytes(body));
    }

    /** Turns the exception that stopped the route into the answer; nothing else has been stored or forwarded. */
    public void rejected(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String partner = exchange.getProperty(PARTNER, "unknown", String.class);
        String flow = exchange.getProperty(FLOW, "unknown", String.class);
        ObjectNode body = Json.mapper().createObjectNode();
        int status;
        if (cause instanceof RejectedException r) {
            status = r.status();
            body.put("error", r.code());
            ArrayNode problems = body.putArray("problems");
            for (Problem p : r.problems()) problems.addObject().put("path", p.path()).put("reason", p.reason());
        } else if (cause instanceof JournalUnavailableException) {
            status = 503;
            body.put("error", "unavailable").put("reason", "the journal is unavailable; nothing was accepted, retry later");
        } else {
            status = 500;
            body.put("error", "internal").put("reason", "nothing was accepted; the operator can trace it in the logs");
            LOG.error("unexpected failure in flow {} for partner {}: {}", flow, partner,
                    cause == null ? "unknown" : cause.getClass().getName());
        }
        metrics.rejected(flow, partner, status);
        try {
            audit.record(partner, null, flow + ".received", null, "rejected_" + status,
                    body.path("error").asText());
        } catch (JournalUnavailableException e) {
            status = 503;
        }
        json(exchange, status, body);
    }
}
