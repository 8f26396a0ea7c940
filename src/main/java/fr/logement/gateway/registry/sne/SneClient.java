package fr.logement.gateway.registry.sne;

import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.frontend.ClientProxy;
import org.apache.cxf.jaxws.JaxWsProxyFactoryBean;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The gateway's client of the SNE: SOAP 1.2 with MTOM, mutual TLS, bounded connect and receive timeouts. */
public final class SneClient implements AutoCloseable {
    private final Bus bus;
    private final SnePort port;

    public SneClient(URI endpoint, SSLContext tls, int connectTimeoutMs, int receiveTimeoutMs) {
        this.bus = BusFactory.newInstance().createBus();
        JaxWsProxyFactoryBean f = new JaxWsProxyFactoryBean();
        f.setBus(bus);
        f.setServiceClass(SnePort.class);
        f.setAddress(endpoint.toString());
        f.setBindingId(jakarta.xml.ws.soap.SOAPBinding.SOAP12HTTP_MTOM_BINDING);
        Map<String, Object> props = new HashMap<>();
        props.put("mtom-enabled", Boolean.TRUE);
        f.setProperties(props);
        this.port = f.create(SnePort.class);
        Client client = ClientProxy.getClient(port);
        HTTPConduit conduit = (HTTPConduit) client.getConduit();
        TLSClientParameters params = new TLSClientParameters();
        params.setSslContext(tls);
        conduit.setTlsClientParameters(params);
        HTTPClientPolicy policy = new HTTPClientPolicy();
        policy.setConnectionTimeout(connectTimeoutMs);
        policy.setReceiveTimeout(receiveTimeoutMs);
        conduit.setClient(policy);
    }

    public SnePort port() {
        return port;
    }

    @Override
    public void close() {
        bus.shutdown(true);
    }
}
