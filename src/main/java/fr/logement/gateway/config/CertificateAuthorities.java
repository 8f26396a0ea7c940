package fr.logement.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The certificate authorities that issue partners' certificates, from the {@code authorities} list of
 * config/partners.yaml: each with its certificate and its revocation list (CRL), both files relative to the data
 * directory unless absolute. A partner certificate is trusted only if an authority listed here issued it, it is
 * within its validity dates, and that authority's current CRL does not revoke it.
 */
public final class CertificateAuthorities {
    private static final Set<String> FIELDS = Set.of("id", "certificate", "crl");

    /** One authority as configured. */
    public record Authority(String id, String certificate, String crl) {}

    private final List<Authority> all;

    private CertificateAuthorities(List<Authority> all) {
        this.all = all;
    }

    public static CertificateAuthorities load(Path partnersFile) {
        String name = partnersFile.getFileName().toString();
        JsonNode root = YamlFiles.read(partnersFile);
        JsonNode list = root == null ? null : root.path("authorities");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new ConfigurationException(name, "authorities",
                    "required: the certificate authorities of the partners, each with its certificate and CRL");
        }
        List<Authority> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int i = 0;
        for (JsonNode n : list) {
            String entry = "authorities[" + i++ + "]";
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!FIELDS.contains(f)) throw new ConfigurationException(name, entry + "." + f, "unknown field (expected " + FIELDS + ")");
            }
            String id = n.path("id").asText("");
            if (!id.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
                throw new ConfigurationException(name, entry + ".id", "required, lower-case letters, digits, '-' or '_'");
            }
            if (!ids.add(id)) throw new ConfigurationException(name, entry + ".id", "duplicate authority id '" + id + "'");
            for (String f : List.of("certificate", "crl")) {
                if (n.path(f).asText("").isBlank()) {
                    throw new ConfigurationException(name, entry + " (" + id + ")." + f, "required: a file path");
                }
            }
            out.add(new Authority(id, n.path("certificate").asText(), n.path("crl").asText()));
        }
        return new CertificateAuthorities(List.copyOf(out));
    }

    public List<Authority> all() {
        return all;
    }
}
