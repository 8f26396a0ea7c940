package fr.logement.gateway.ingress;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CamelHeadersTest {
    @Test
    void camelInstructionsSentByTheCallerAreDroppedInAnyCaseButTheRequestLineStays() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            DefaultMessage m = new DefaultMessage(camel);
            m.setHeader("CamelBeanMethodName", "queued");
            m.setHeader("camelhttpresponsecode", "202");
            m.setHeader("CAMELFILENAME", "../../etc/passwd");
            m.setHeader("CamelHttpMethod", "POST");
            m.setHeader("CamelHttpPath", "/api/v1/allocation-events");
            m.setHeader("X-JWS-Signature", "sig");
            m.setHeader("Content-Type", "application/json");

            CamelHeaders.dropSentByCaller(m);

            assertEquals(Set.of("CamelHttpMethod", "CamelHttpPath", "X-JWS-Signature", "Content-Type"),
                    new TreeSet<>(m.getHeaders().keySet()));
        }
    }
}
