package fr.logement.gateway.ingress.designation;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.config.PartnerDirectory;
import fr.logement.gateway.config.Territory;
import fr.logement.gateway.ingress.JsonSchemaCheck;
import fr.logement.gateway.ingress.Problem;
import fr.logement.gateway.ingress.RejectedException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a designation as ALS submits it: first its JSON Schema (schemas/designation.schema.json), then the rules
 * no schema can say — ranks, distinct applicants, the landlord's territory, the deadline, and each document's real
 * type, size and digest. Reports every problem at once, by path and reason, never by value.
 */
public final class DesignationValidator {
    private final JsonSchemaCheck schema;
    private final PartnerDirectory partners;
    private final Territory territory;
    private final Clock clock;
    private final long maxDocumentBytes;
    private final long maxTotalDocumentBytes;

    public DesignationValidator(Path schemasDir, PartnerDirectory partners, Territory territory, Clock clock,
                                long maxDocumentBytes, long maxTotalDocumentBytes) {
        this.schema = new JsonSchemaCheck(schemasDir.resolve("designation.schema.json"));
        this.partners = partners;
        this.territory = territory;
        this.clock = clock;
        this.maxDocumentBytes = maxDocumentBytes;
        this.maxTotalDocumentBytes = maxTotalDocumentBytes;
    }

    /** Throws {@link RejectedException} (400) listing every problem; returns normally when the designation is valid. */
    public void validate(JsonNode d) {
        List<Problem> problems = schema.problems(d);
        if (problems.isEmpty()) problems = ruleProblems(d);
        if (!problems.isEmpty()) throw new RejectedException(400, "invalid_designation", problems);
    }

    private List<Problem> ruleProblems(JsonNode d) {
        List<Problem> problems = new ArrayList<>();
        JsonNode candidates = d.path("candidates");
        int n = candidates.size();
        Set<Integer> ranks = new HashSet<>();
        Set<String> applicants = new HashSet<>();
        Set<String> nirs = new HashSet<>();
        for (int i = 0; i < n; i++) {
            JsonNode c = candidates.get(i);
            int rank = c.path("rank").asInt();
            if (rank > n) {
                problems.add(new Problem("candidates[" + i + "].rank", "ranks must run from 1 to the number of candidates (" + n + ")"));
            } else if (!ranks.add(rank)) {
                problems.add(new Problem("candidates[" + i + "].rank", "rank " + rank + " is given to more than one candidate"));
            }
            if (!applicants.add(c.at("/identity/numeroUnique").asText())) {
                problems.add(new Problem("candidates[" + i + "].identity.numeroUnique", "the same applicant appears twice"));
            }
            String nir = c.at("/identity/nir").asText("");
            if (!nir.isEmpty() && !nirs.add(nir)) {
                problems.add(new Problem("candidates[" + i + "].identity.nir", "the same applicant appears twice"));
            }
        }
        String landlordId = d.path("landlordId").asText();
        Optional<Partner> landlord = partners.find(landlordId).filter(p -> p.is(Partner.PartnerKind.landlord));
        String commune = d.at("/offer/communeInsee").asText();
        if (landlord.isEmpty()) {
            problems.add(new Problem("landlordId", "no landlord with this id in the partner directory"));
        } else if (territory.departementOf(commune).isEmpty()) {
            problems.add(new Problem("offer.communeInsee", "unknown commune"));
        } else if (!territory.covers(landlord.get().territory(), commune)) {
            problems.add(new Problem("offer.communeInsee", "the landlord holds no homes in this commune's territory"));
        }
        try {
            Instant deadline = Instant.parse(d.at("/offer/designationDeadline").asText());
            if (!deadline.isAfter(clock.instant())) {
                problems.add(new Problem("offer.designationDeadline", "the designation deadline has passed"));
            }
        } catch (DateTimeParseException e) {
            problems.add(new Problem("offer.designationDeadline", "expected an instant such as 2026-12-20T17:00:00Z"));
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            JsonNode docs = candidates.get(i).path("documents");
            for (int j = 0; j < docs.size(); j++) {
                total += checkDocument(docs.get(j), "candidates[" + i + "].documents[" + j + "]", problems);
            }
        }
        if (total > maxTotalDocumentBytes) {
            problems.add(new Problem("candidates", "documents total " + total + " bytes, more than the "
                    + maxTotalDocumentBytes + " allowed for one designation"));
        }
        return problems;
    }

    /** Streams the base64 content once: size, magic bytes and SHA-256. Returns the decoded size. */
    private long checkDocument(JsonNode doc, String path, List<Problem> problems) {
        String content = doc.path("content").asText();
        MessageDigest sha = sha256();
        byte[] head = new byte[8];
        long size = 0;
        try (InputStream in = new DigestInputStream(Base64.getDecoder().wrap(
                new java.io.ByteArrayInputStream(content.getBytes(java.nio.charset.StandardCharsets.US_ASCII))), sha)) {
            byte[] buf = new byte[64 * 1024];
            for (int r; (r = in.read(buf)) > 0; ) {
                if (size < head.length) System.arraycopy(buf, 0, head, (int) size, (int) Math.min(head.length - size, r));
                size += r;
            }
        } catch (IOException | IllegalArgumentException e) {
            problems.add(new Problem(path + ".content", "not valid base64"));
            return 0;
        }
        if (size == 0) {
            problems.add(new Problem(path + ".content", "the document is empty"));
            return 0;
        }
        if (size > maxDocumentBytes) {
            problems.add(new Problem(path + ".content", "document of " + size + " bytes, more than the "
                    + maxDocumentBytes + " allowed"));
        }
        String mediaType = doc.path("mediaType").asText();
        if (!MediaTypes.matches(mediaType, head, (int) Math.min(size, head.length))) {
            problems.add(new Problem(path + ".mediaType", "the content is not a " + mediaType
                    + " (its first bytes say " + MediaTypes.sniff(head, (int) Math.min(size, head.length)) + ")"));
        }
        if (!HexFormat.of().formatHex(sha.digest()).equals(doc.path("sha256").asText())) {
            problems.add(new Problem(path + ".sha256", "does not match the SHA-256 of the decoded content"));
        }
        return size;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
