package fr.logement.gateway.registry;

import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import fr.logement.gateway.registry.sne.SimulatedSne;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SNE contract published in schemas/sne-v1.wsdl is exactly what the simulated SNE serves (SOAP 1.2 binding,
 * operations, types): the client, the simulator and the file cannot drift apart. Run with
 * {@code -Dsne.contract.write=true} to rewrite the file after a deliberate change of the interface.
 */
class SneContractTest {
    @TempDir
    Path dir;

    @Test
    void thePublishedWsdlIsWhatTheSimulatedSneServes() throws Exception {
        Pki pki = Pki.openOrCreate(dir.resolve("pki"));
        KeyMaterial sneKey = pki.ensure("sne");
        KeyMaterial caller = pki.ensure("gateway");
        int port = fr.logement.gateway.testing.TestPorts.free();
        try (SimulatedSne sne = new SimulatedSne(port, sneKey, pki.caCertificate()).start()) {
            HttpClient http = HttpClient.newBuilder().sslContext(pki.tlsContext(caller)).build();
            String served = http.send(HttpRequest.newBuilder(URI.create(sne.endpoint() + "?wsdl")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().replace(":" + port + "/", ":PORT/");
            assertTrue(served.contains("soap12"), "SOAP 1.2 binding");
            for (String op : new String[]{"getNumUnique", "getDemandeLogement", "getDoublons", "getDemandesRadieesDepuisLe",
                    "getNouveauxDaloDepuisLe", "declarationNouveauDalo"}) {
                assertTrue(served.contains("name=\"" + op + "\""), op);
            }
            Path published = Path.of("schemas/sne-v1.wsdl");
            if (Boolean.getBoolean("sne.contract.write")) Files.writeString(published, served);
            assertEquals(Files.readString(published), served, "schemas/sne-v1.wsdl differs from the SNE interface");
        }
    }
}
