package fr.logement.gateway.metrics;

import fr.logement.gateway.broker.Broker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;

/** Prometheus metrics: messages in, out and rejected per flow and partner, queue depths, delivery latency. */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public void bindQueues(Broker broker) {
        for (String q : broker.queues()) {
            Gauge.builder("gateway_queue_depth", () -> broker.depth(q).orElse(-1))
                    .description("messages waiting in a broker queue (-1: external broker, not measured here)")
                    .tag("queue", q).register(registry);
        }
    }

    public void received(String flow, String partner) {
        counter("gateway_messages_in_total", flow, partner).increment();
    }

    public void sent(String flow, String partner) {
        counter("gateway_messages_out_total", flow, partner).increment();
    }

    public void rejected(String flow, String partner, int status) {
        Counter.builder("gateway_messages_rejected_total").tag("flow", flow).tag("partner", partner)
                .tag("status", Integer.toString(status)).register(registry).increment();
    }

    public void deliveryFailed(String flow, String partner) {
        counter("gateway_delivery_failures_total", flow, partner).increment();
    }

    public void deliveryLatency(String flow, String partner, Duration sinceReceived) {
        Timer.builder("gateway_delivery_latency").description("time from acceptance to verified receipt")
                .tag("flow", flow).tag("partner", partner).register(registry).record(sinceReceived);
    }

    private Counter counter(String name, String flow, String partner) {
        return Counter.builder(name).tag("flow", flow).tag("partner", partner).register(registry);
    }

    public String scrape() {
        return registry.scrape();
    }
}
