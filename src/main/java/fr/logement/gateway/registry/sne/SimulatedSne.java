package fr.logement.gateway.registry.sne;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.logement.gateway.pki.JettyTls;
import fr.logement.gateway.pki.KeyMaterial;
import jakarta.activation.DataHandler;
import jakarta.jws.WebService;
import jakarta.mail.util.ByteArrayDataSource;
import jakarta.xml.ws.soap.SOAPBinding;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxws.JaxWsServerFactoryBean;
import org.apache.cxf.transport.http_jetty.JettyHTTPServerEngineFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated SNE for the demo and the tests: a real SOAP 1.2 + MTOM server (CXF on Jetty, mutual TLS) on
 * loopback, implementing the public operations on an in-memory registry, with faults on demand (a slow answer that
 * times the client out, a SOAP fault, a failure after some calls).
 */
public final class SimulatedSne implements AutoCloseable {
    public static final String PATH = "/sne";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A fault to inject. */
    public enum Fault { NONE, SLOW, SOAP_FAULT }

    private final int port;
    private final KeyMaterial own;
    private final X509Certificate ca;
    private final Map<String, Stored> requests = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<Radiation> radiations = Collections.synchronizedList(new ArrayList<>());
    private final List<MenageDalo> dalo = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong counter = new AtomicLong();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile Fault fault = Fault.NONE;
    private volatile int faultyCalls;
    private volatile int healthyCallsBeforeFault;
    private volatile long slowMillis = 5_000;
    private Bus bus;
    private Server server;

    /** What the registry holds of one request. */
    public record Stored(String numUnique, String type, int version, JsonNode request) {}

    public SimulatedSne(int port, KeyMaterial own, X509Certificate ca) {
        this.port = port;
        this.own = own;
        this.ca = ca;
    }

    public SimulatedSne start() throws Exception {
        bus = BusFactory.newInstance().createBus();
        bus.getExtension(JettyHTTPServerEngineFactory.class).setTLSServerParametersForPort(port, JettyTls.mutual(own, ca));
        JaxWsServerFactoryBean f = new JaxWsServerFactoryBean();
        f.setBus(bus);
        f.setServiceClass(SnePort.class);
        f.setServiceBean(new Implementation());
        f.setAddress(endpoint().toString());
        f.setBindingId(SOAPBinding.SOAP12HTTP_MTOM_BINDING);
        f.setProperties(new java.util.HashMap<>(Map.of("mtom-enabled", Boolean.TRUE)));
        server = f.create();
        return this;
    }

    public URI endpoint() {
        return URI.create("https://localhost:" + port + PATH);
    }

    /** The next {@code n} calls fail with {@code kind}, after {@code healthyFirst} calls that succeed. */
    public void fail(Fault kind, int n, int healthyFirst) {
        this.healthyCallsBeforeFault = healthyFirst;
        this.faultyCalls = n;
        this.fault = kind;
    }

    public void slowBy(long millis) {
        this.slowMillis = millis;
    }

    public int calls() {
        return calls.get();
    }

    public Map<String, Stored> requests() {
        synchronized (requests) {
            return Map.copyOf(requests);
        }
    }

    /** The registry radiates a request (as a counter would). */
    public void radiate(String numUnique, int version, LocalDate date, String motif) {
        Radiation r = new Radiation();
        r.numUnique = numUnique;
        r.version = version;
        r.dateRadiation = date.toString();
        r.motif = motif;
        radiations.add(r);
    }

    /** A DALO commission recognises a household. */
    public void recogniseDalo(String numUnique, LocalDate date, String departement) {
        MenageDalo m = new MenageDalo();
        m.numUnique = numUnique;
        m.dateDecision = date.toString();
        m.departement = departement;
        dalo.add(m);
    }

    @Override
    public void close() {
        if (server != null) server.destroy();
        if (bus != null) bus.shutdown(true);
    }

    private void maybeFail() throws SneFault {
        calls.incrementAndGet();
        if (fault == Fault.NONE || faultyCalls <= 0) return;
        if (healthyCallsBeforeFault > 0) {
            healthyCallsBeforeFault--;
            return;
        }
        faultyCalls--;
        if (fault == Fault.SOAP_FAULT) throw new SneFault("SNE-503", "service momentanément indisponible");
        try {
            Thread.sleep(slowMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @WebService(endpointInterface = "fr.logement.gateway.registry.sne.SnePort", targetNamespace = SnePort.NS,
            serviceName = "SneService", portName = "SnePortPort")
    final class Implementation implements SnePort {
        @Override
        public String getNumUnique(FichierDemande fichier) throws SneFault {
            maybeFail();
            JsonNode request;
            try (InputStream in = fichier.demande.getInputStream()) {
                request = JSON.readTree(in);
            } catch (IOException e) {
                throw new SneFault("SNE-400", "fichier illisible");
            }
            String type = fichier.typeFichier;
            if (!List.of("CRE", "MOD", "REN", "RAD").contains(type)) throw new SneFault("SNE-400", "type de fichier inconnu");
            if (type.equals("CRE")) {
                String dep = request.at("/request/wishedCommunes/0").asText("75").substring(0, 2);
                String number = dep + "26" + String.format("%010d", counter.incrementAndGet());
                requests.put(number, new Stored(number, type, 1, request));
                return number;
            }
            Stored s = requests.get(fichier.numUnique);
            if (s == null) throw new SneFault("SNE-404", "numéro unique inconnu");
            requests.put(s.numUnique(), new Stored(s.numUnique(), type, s.version() + 1, request));
            if (type.equals("RAD")) radiate(s.numUnique(), s.version() + 1, LocalDate.now(), fichier.motifRadiation);
            return s.numUnique();
        }

        @Override
        public FichierDemande getDemandeLogement(String numUnique) throws SneFault {
            maybeFail();
            Stored s = requests.get(numUnique);
            if (s == null) throw new SneFault("SNE-404", "numéro unique inconnu");
            FichierDemande f = new FichierDemande();
            f.typeFichier = s.type();
            f.numUnique = s.numUnique();
            f.version = s.version();
            try {
                f.demande = new DataHandler(new ByteArrayDataSource(JSON.writeValueAsBytes(s.request()), "application/json"));
            } catch (IOException e) {
                throw new SneFault("SNE-500", "erreur interne");
            }
            return f;
        }

        @Override
        public List<String> getDoublons(String nom, String prenom, String dateNaissance) throws SneFault {
            maybeFail();
            List<String> out = new ArrayList<>();
            synchronized (requests) {
                for (Stored s : requests.values()) {
                    JsonNode a = s.request().path("applicant");
                    if (a.path("lastName").asText().equalsIgnoreCase(nom) && a.path("firstName").asText().equalsIgnoreCase(prenom)
                            && a.path("birthDate").asText().equals(dateNaissance)) {
                        out.add(s.numUnique());
                    }
                }
            }
            return out;
        }

        @Override
        public List<Radiation> getDemandesRadieesDepuisLe(String depuis) throws SneFault {
            maybeFail();
            LocalDate since = LocalDate.parse(depuis);
            synchronized (radiations) {
                return radiations.stream().filter(r -> !LocalDate.parse(r.dateRadiation).isBefore(since)).toList();
            }
        }

        @Override
        public List<MenageDalo> getNouveauxDaloDepuisLe(String depuis) throws SneFault {
            maybeFail();
            LocalDate since = LocalDate.parse(depuis);
            synchronized (dalo) {
                return dalo.stream().filter(m -> !LocalDate.parse(m.dateDecision).isBefore(since)).toList();
            }
        }

        @Override
        public String declarationNouveauDalo(String numUnique, String dateDecision) throws SneFault {
            maybeFail();
            if (!requests.containsKey(numUnique)) throw new SneFault("SNE-404", "numéro unique inconnu");
            recogniseDalo(numUnique, LocalDate.parse(dateDecision), numUnique.substring(0, 2));
            return "ACK-" + numUnique + "-" + dateDecision;
        }
    }
}
