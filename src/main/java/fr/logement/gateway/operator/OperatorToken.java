package fr.logement.gateway.operator;

import fr.logement.gateway.ingress.CamelHeaders;
import fr.logement.gateway.ingress.RejectedException;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The operator's bearer token: random, written at first start to {@code <data>/operator.token} readable by the
 * gateway's own user only. Operator endpoints (loopback only) require it; the command line reads it from the file.
 */
public final class OperatorToken {
    public static final String FILE = "operator.token";
    private final byte[] token;

    private OperatorToken(byte[] token) {
        this.token = token;
    }

    public static OperatorToken openOrCreate(Path dataDir) {
        Path f = dataDir.resolve(FILE);
        try {
            if (!Files.exists(f)) {
                byte[] b = new byte[32];
                new SecureRandom().nextBytes(b);
                Files.createDirectories(dataDir);
                Files.writeString(f, Base64.getUrlEncoder().withoutPadding().encodeToString(b));
                try {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system: rely on the data directory's own protection
                }
            }
            return new OperatorToken(Files.readString(f).trim().getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + f, e);
        }
    }

    /** The value to send, for the command line. */
    public static String read(Path dataDir) throws IOException {
        return Files.readString(dataDir.resolve(FILE)).trim();
    }

    /** 401 unless the request carries {@code Authorization: Bearer <token>}; the header is then removed. */
    public void require(Exchange exchange) {
        String h = exchange.getMessage().getHeader("Authorization", String.class);
        exchange.getMessage().removeHeader("Authorization");
        CamelHeaders.dropSentByCaller(exchange.getMessage());
        byte[] given = h != null && h.startsWith("Bearer ") ? h.substring(7).trim().getBytes(StandardCharsets.US_ASCII)
                : new byte[0];
        if (!MessageDigest.isEqual(given, token)) {
            throw new RejectedException(401, "operator_token_required", "Authorization",
                    "send the operator token of " + FILE + " as a Bearer token");
        }
    }
}
