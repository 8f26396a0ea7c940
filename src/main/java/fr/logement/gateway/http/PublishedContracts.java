package fr.logement.gateway.http;

import fr.logement.gateway.ingress.RejectedException;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Publishes the contracts of schemas/ (JSON Schemas, XSD, WSDL) so partners build against what is enforced. */
public final class PublishedContracts {
    private final Path schemasDir;

    public PublishedContracts(Path schemasDir) {
        this.schemasDir = schemasDir.toAbsolutePath().normalize();
    }

    public void serve(Exchange exchange) throws IOException {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            try (Stream<Path> files = Files.list(schemasDir)) {
                HttpResponses.json(exchange, 200, files.filter(Files::isRegularFile)
                        .map(f -> f.getFileName().toString()).sorted().toList());
            }
            return;
        }
        // Only plain file names of schemas/: no traversal.
        if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
            throw new RejectedException(404, "not_found", "file", "no such contract");
        }
        Path file = schemasDir.resolve(name).normalize();
        if (!file.startsWith(schemasDir) || !Files.isRegularFile(file)) {
            throw new RejectedException(404, "not_found", "file", "no such contract");
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, name.endsWith(".json") ? "application/schema+json"
                : "application/xml");
        exchange.getMessage().setBody(Files.readAllBytes(file));
    }
}
