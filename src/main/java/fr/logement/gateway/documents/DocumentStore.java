package fr.logement.gateway.documents;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Content-addressed store of supporting documents on disk (data/documents/ab/cdef…), so that a document is
 * kept once however many messages refer to it, and messages on the broker carry its SHA-256, not its bytes.
 */
public final class DocumentStore implements DocumentSource {
    private final Path root;

    public DocumentStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("incoming"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create document store " + root, e);
        }
    }

    /** What was stored: its digest and size. */
    public record Stored(String sha256, long size) {}

    /**
     * Streams {@code content} into the store and returns its digest; the bytes are written to a temporary file
     * first and moved into place, so a crash never leaves a partial document under a valid name.
     */
    public Stored put(InputStream content) throws IOException {
        Path tmp = root.resolve("incoming").resolve(UUID.randomUUID() + ".part");
        MessageDigest md = sha256();
        long size;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), md)) {
            size = content.transferTo(out);
        }
        String hex = HexFormat.of().formatHex(md.digest());
        Path target = pathOf(hex);
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
            Files.delete(tmp);
        } else {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
        return new Stored(hex, size);
    }

    /** Puts bytes already in memory (small documents, tests). */
    public Stored put(byte[] content) throws IOException {
        return put(new java.io.ByteArrayInputStream(content));
    }

    public boolean contains(String sha256) {
        return isDigest(sha256) && Files.exists(pathOf(sha256));
    }

    @Override
    public InputStream open(String sha256) throws IOException {
        if (!isDigest(sha256)) throw new IOException("not a SHA-256 digest");
        return Files.newInputStream(pathOf(sha256));
    }

    @Override
    public long size(String sha256) throws IOException {
        if (!isDigest(sha256)) throw new IOException("not a SHA-256 digest");
        return Files.size(pathOf(sha256));
    }

    /** Deletes a document (retention, erasure); true if it was there. */
    public boolean delete(String sha256) throws IOException {
        return isDigest(sha256) && Files.deleteIfExists(pathOf(sha256));
    }

    private Path pathOf(String hex) {
        return root.resolve(hex.substring(0, 2)).resolve(hex.substring(2));
    }

    private static boolean isDigest(String s) {
        return s != null && s.matches("[0-9a-f]{64}");
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
