package fr.logement.gateway.employer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.config.PartnerDirectory;
import fr.logement.gateway.http.HttpResponses;
import fr.logement.gateway.http.Json;
import fr.logement.gateway.ingress.JsonSchemaCheck;
import fr.logement.gateway.ingress.Problem;
import fr.logement.gateway.ingress.RejectedException;
import fr.logement.gateway.jose.DetachedJws;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.Digests;
import fr.logement.gateway.journal.Journal;
import fr.logement.gateway.journal.JournalEntry.Direction;
import fr.logement.gateway.journal.Transactions;
import fr.logement.gateway.policy.FilterResult;
import fr.logement.gateway.policy.OutboundFilter;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An employer validates an employee's request and may grant company points (POST /api/v1/employer/validations,
 * mTLS + JWS). Allowed only on a request whose employer — per the employee's choice in force, which must not be
 * anonymity — is the caller (same SIRET, or same SIREN): anything else is 403 and nothing is stored but the audit
 * row. Accepted validations are stored, journaled and carried to ALS (queue als.employer-validations), filtered for
 * (als, employer_validation); the employer gets a receipt signed by the gateway.
 */
public final class EmployerValidations {
    public static final String FLOW = "employer_validation";
    static final String STORED = "gateway.employerValidation";

    private final JsonSchemaCheck schema;
    private final DataSource db;
    private final PartnerDirectory partners;
    private final EmployeeChoices choices;
    private final OutboundFilter filter;
    private final Journal journal;
    private final AuditTrail audit;
    private final DetachedJws signer;
    private final Clock clock;

    public EmployerValidations(Path schemasDir, DataSource db, PartnerDirectory partners, EmployeeChoices choices,
                               OutboundFilter filter, Journal journal, AuditTrail audit, DetachedJws signer, Clock clock) {
        this.schema = new JsonSchemaCheck(schemasDir.resolve("employer-validation.schema.json"));
        this.db = db;
        this.partners = partners;
        this.choices = choices;
        this.filter = filter;
        this.journal = journal;
        this.audit = audit;
        this.signer = signer;
        this.clock = clock;
    }

    /** Validates, authorises, stores; the body becomes the validation filtered for ALS. */
    public void accept(Exchange exchange) {
        exchange.setProperty(HttpResponses.FLOW, FLOW);
        String caller = exchange.getProperty(HttpResponses.PARTNER, String.class);
        Partner employer = partners.find(caller).orElseThrow();
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        JsonNode v = Json.parse(raw);
        List<Problem> problems = schema.problems(v);
        if (!problems.isEmpty()) throw new RejectedException(400, "invalid_validation", problems);
        String nur = v.path("numeroUnique").asText();
        choices.ofOwnEmployee(nur, employer);                           // 403 otherwise
        ObjectNode forAls = (ObjectNode) v.deepCopy();
        forAls.put("employerId", caller);
        FilterResult f = filter.filter(FLOW, forAls, "als", FLOW);
        String messageId = v.path("messageId").asText();
        String digest = Digests.sha256(raw);
        boolean fresh = Transactions.inTransaction(db, "store the validation", c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "select body_digest from employer_validation where employer_id = ? and message_id = ?")) {
                q.setString(1, caller);
                q.setString(2, messageId);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        if (!rs.getString(1).equals(digest)) {
                            throw new RejectedException(409, "message_id_reused", "messageId",
                                    "this message id was already used for another message");
                        }
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("insert into employer_validation (employer_id, message_id, "
                    + "numero_unique, validated, company_points, body_digest, received_at) values (?,?,?,?,?,?,?)")) {
                ps.setString(1, caller);
                ps.setString(2, messageId);
                ps.setString(3, nur);
                ps.setBoolean(4, v.path("validated").asBoolean());
                if (v.has("companyPoints")) ps.setInt(5, v.path("companyPoints").asInt());
                else ps.setNull(5, java.sql.Types.INTEGER);
                ps.setString(6, digest);
                ps.setTimestamp(7, Timestamp.from(clock.instant()));
                ps.executeUpdate();
            }
            return true;
        });
        if (fresh) {
            journal.record(messageId, FLOW, caller, Direction.IN, "RECEIVED", digest, FLOW, List.copyOf(f.categoriesSent()),
                    List.copyOf(f.categoriesDropped()), f.droppedPaths(), null);
            audit.record(caller, null, FLOW + ".received", messageId, "accepted", null);
        }
        exchange.setProperty(STORED, Map.of("messageId", messageId, "digest", digest, "fresh", fresh));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeaders(Map.of("gatewayMessageId", messageId, "gatewayEmployerId", caller,
                "_AMQ_DUPL_ID", "employer-validation:" + caller + ":" + messageId));
        exchange.getMessage().setBody(Json.bytes(f.filtered()));
    }

    /** The answer: a receipt with the digest of what was received, signed by the gateway. */
    @SuppressWarnings("unchecked")
    public void receipt(Exchange exchange) {
        Map<String, Object> stored = exchange.getProperty(STORED, Map.class);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("messageId", stored.get("messageId"));
        r.put("status", "accepted");
        r.put("bodyDigest", stored.get("digest"));
        r.put("receivedAt", Instant.now(clock).toString());
        byte[] body = Json.bytes(r);
        HttpResponses.json(exchange, 200, r);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(DetachedJws.HTTP_HEADER, signer.sign(body, (String) stored.get("messageId")));
    }
}
