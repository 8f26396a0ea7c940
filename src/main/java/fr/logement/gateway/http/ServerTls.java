package fr.logement.gateway.http;

import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;

import javax.net.ssl.SSLContext;

/**
 * Hands the gateway's TLS context (its key, trusting the partners' CA) to Camel's HTTPS endpoints; the endpoints
 * require a client certificate, and the partner is then recognised by its exact registered certificate.
 */
public final class ServerTls extends SSLContextParameters {
    private final SSLContext context;

    public ServerTls(SSLContext context) {
        this.context = context;
    }

    @Override
    public SSLContext createSSLContext(CamelContext camelContext) {
        return context;
    }
}
