package fr.logement.gateway.delivery.soap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.demo.SyntheticDesignations;
import fr.logement.gateway.documents.DocumentStore;
import fr.logement.gateway.landlordsim.SoapLandlordSimulator;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** A gateway-side SOAP sender and a simulated SOAP landlord on loopback, with a fresh demo PKI. */
final class SoapDeliveryHarness implements AutoCloseable {
    final Pki pki;
    final KeyMaterial gateway;
    final KeyMaterial landlordKey;
    final Partner landlord;
    final DocumentStore store;
    final SoapLandlordSimulator simulator;
    final SoapDesignationSender sender;
    final Path dir;

    SoapDeliveryHarness(Path dir, KeyMaterial signerTheLandlordTrusts) throws Exception {
        this.dir = dir;
        pki = Pki.openOrCreate(dir.resolve("pki"));
        gateway = pki.ensure(Pki.GATEWAY);
        landlordKey = pki.ensure("landlord");
        Files.createDirectories(dir.resolve("partners"));
        Pki.writePem(dir.resolve("partners/landlord.pem"), landlordKey.certificate());
        int port = fr.logement.gateway.testing.TestPorts.free();
        simulator = new SoapLandlordSimulator(port, landlordKey,
                signerTheLandlordTrusts == null ? gateway.certificate() : signerTheLandlordTrusts.certificate(),
                pki.caCertificate()).start();
        landlord = new Partner("landlord", Partner.PartnerKind.landlord, "Landlord", "552100554", null, List.of("92"),
                Partner.Protocol.soap, simulator.endpoint(), "partners/landlord.pem");
        store = new DocumentStore(dir.resolve("documents"));
        sender = new SoapDesignationSender(gateway, pki.tlsContext(gateway), dir);
    }

    /** A filtered-looking designation whose documents are in the store (content replaced by size). */
    ObjectNode designation(String id) throws IOException {
        ObjectNode d = new SyntheticDesignations(3).designation(id, "landlord", "9200000001", "92050",
                Instant.now().plusSeconds(3600), 1);
        ObjectNode c = (ObjectNode) d.get("candidates").get(0);
        c.remove("applicationHistory");
        ((ObjectNode) c.get("identity")).remove("nir");
        ((ObjectNode) c.get("handicap")).remove("nature");
        for (var doc : c.get("documents")) {
            ObjectNode o = (ObjectNode) doc;
            DocumentStore.Stored s = store.put(Base64.getDecoder().decode(o.get("content").asText()));
            o.remove("content");
            o.put("size", s.size());
        }
        return d;
    }

    @Override
    public void close() {
        simulator.close();
    }
}
