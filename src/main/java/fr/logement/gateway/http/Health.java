package fr.logement.gateway.http;

import fr.logement.gateway.broker.Broker;
import fr.logement.gateway.metrics.GatewayMetrics;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;

/** The health endpoint (200 when the routes, the broker and the journal database all answer, 503 otherwise) and metrics. */
public final class Health {
    private final DataSource db;
    private final Broker broker;
    private final GatewayMetrics metrics;

    public Health(DataSource db, Broker broker, GatewayMetrics metrics) {
        this.db = db;
        this.broker = broker;
        this.metrics = metrics;
    }

    public void check(Exchange exchange) {
        Map<String, Object> checks = new LinkedHashMap<>();
        CamelContext camel = exchange.getContext();
        boolean routes = camel.isStarted();
        boolean database;
        try (Connection c = db.getConnection()) {
            database = c.isValid(2);
        } catch (Exception e) {
            database = false;
        }
        boolean brokerUp = broker.isRunning();
        checks.put("routes", routes ? "UP" : "DOWN");
        checks.put("broker", brokerUp ? "UP" : "DOWN");
        checks.put("database", database ? "UP" : "DOWN");
        boolean up = routes && database && brokerUp;
        checks.put("status", up ? "UP" : "DOWN");
        HttpResponses.json(exchange, up ? 200 : 503, checks);
    }

    public void metrics(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4");
        exchange.getMessage().setBody(metrics.scrape());
    }
}
