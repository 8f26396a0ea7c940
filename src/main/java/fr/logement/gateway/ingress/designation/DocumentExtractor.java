package fr.logement.gateway.ingress.designation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.documents.DocumentStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Moves each document's content out of a validated designation into the content-addressed store, leaving its
 * digest and size: what goes on the broker then carries references, not megabytes.
 */
public final class DocumentExtractor {
    private final DocumentStore store;

    public DocumentExtractor(DocumentStore store) {
        this.store = store;
    }

    /** Returns the digests stored; the designation is changed in place (content removed, size added). */
    public List<String> extract(JsonNode designation) throws IOException {
        List<String> digests = new ArrayList<>();
        for (JsonNode candidate : designation.path("candidates")) {
            for (JsonNode doc : candidate.path("documents")) {
                ObjectNode d = (ObjectNode) doc;
                String content = d.path("content").asText();
                try (InputStream in = Base64.getDecoder().wrap(new ByteArrayInputStream(content.getBytes(StandardCharsets.US_ASCII)))) {
                    DocumentStore.Stored stored = store.put(in);
                    // Defence in depth: the validator checked the digest; the store computed it again while writing.
                    if (!stored.sha256().equals(d.path("sha256").asText())) {
                        throw new IOException("document digest changed between validation and storage");
                    }
                    d.remove("content");
                    d.put("size", stored.size());
                    digests.add(stored.sha256());
                }
            }
        }
        return digests;
    }
}
