package fr.logement.gateway.documents;

import java.io.IOException;
import java.io.InputStream;

/** Reads supporting documents by their SHA-256 (lower-case hex), without holding them in memory. */
public interface DocumentSource {
    InputStream open(String sha256) throws IOException;

    long size(String sha256) throws IOException;
}
