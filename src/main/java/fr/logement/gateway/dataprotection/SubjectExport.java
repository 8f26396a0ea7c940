package fr.logement.gateway.dataprotection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.Journal;
import fr.logement.gateway.journal.JournalEntry;
import fr.logement.gateway.journal.JournalUnavailableException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Subject access and portability: given a request number (NUR), a machine-readable JSON of everything the gateway
 * holds about it — the designations it was a candidate of and their exchanges (who sent what to whom, when, which
 * categories went and which were dropped), the allocation events and score notices about it (with the bodies still
 * within retention), the registry records kept and who received them, DALO decisions. Nothing about any other
 * request. Every export is audited.
 */
public final class SubjectExport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DataSource db;
    private final Journal journal;
    private final AuditTrail audit;
    private final Clock clock;

    public SubjectExport(DataSource db, Journal journal, AuditTrail audit, Clock clock) {
        this.db = db;
        this.journal = journal;
        this.audit = audit;
        this.clock = clock;
    }

    /** The export for {@code nur}, requested by {@code operator} (audited). */
    public ObjectNode export(String nur, String operator) {
        if (nur == null || !nur.matches("[A-Za-z0-9]{1,18}")) {
            throw new IllegalArgumentException("a request number is 1 to 18 letters or digits");
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("requestNumber", nur);
        out.put("exportedAt", clock.instant().toString());
        try (Connection c = db.getConnection()) {
            ArrayNode designations = out.putArray("designations");
            Set<String> messageIds = new LinkedHashSet<>();
            for (ObjectNode d : rows(c, "select d.message_id, d.designation_id, d.landlord_id, d.status, d.received_at, "
                    + "d.delivered_at, dc.candidate_rank from designation d join designation_candidate dc "
                    + "on dc.message_id = d.message_id where dc.numero_unique = ? order by d.received_at", nur)) {
                String id = d.path("message_id").asText();
                messageIds.add(id);
                d.set("exchanges", exchanges(id));
                designations.add(d);
            }
            ArrayNode events = out.putArray("allocationEvents");
            for (ObjectNode e : rows(c, "select landlord_id, message_id, event_type, designation_message_id, decision, "
                    + "event_date, channel, received_at, status, forwarded as body from allocation_event "
                    + "where numero_unique = ? order by received_at", nur)) {
                e.set("body", JSON.readTree(e.path("body").asText("{}")));
                e.set("exchanges", exchanges(e.path("message_id").asText()));
                events.add(e);
            }
            // Events about an offer (taken back) concern every candidate of it.
            for (String id : messageIds) {
                for (ObjectNode e : rows(c, "select landlord_id, message_id, event_type, designation_message_id, event_date, "
                        + "received_at from allocation_event where designation_message_id = ? and numero_unique is null", id)) {
                    events.add(e);
                }
            }
            out.set("scoreNotices", array(rows(c, "select landlord_id, event_message_id, reason, points, created_at "
                    + "from score_notice where numero_unique = ? order by created_at", nur)));
            out.set("registryRecords", array(rows(c, "select version, file_type, source_id, imported_at from registry_record "
                    + "where request_number = ? order by version", nur)));
            out.set("registryRecipients", array(rows(c, "select distinct recipient_id from registry_delivery "
                    + "where request_number = ?", nur)));
            out.set("employeeChoices", array(rows(c, "select employer_siret, choice, effective_at, received_at "
                    + "from employee_choice where numero_unique = ? order by effective_at", nur)));
            for (ObjectNode v : rows(c, "select employer_siret, body, updated_at from employee_request_view "
                    + "where numero_unique = ?", nur)) {
                v.set("body", JSON.readTree(v.path("body").asText("{}")));
                out.set("employerView", v);
            }
            out.set("daloDecisions", array(rows(c, "select decision_date, departement from dalo_household "
                    + "where num_unique = ? order by decision_date", nur)));
        } catch (SQLException | java.io.IOException e) {
            throw new JournalUnavailableException("cannot read what the gateway holds", e);
        }
        ArrayNode accesses = out.putArray("auditEntries");   // who touched this request, when (reading them is audited)
        for (AuditTrail.Entry e : audit.concerning(nur)) {
            ObjectNode a = accesses.addObject();
            a.put("at", e.recordedAt().toString());
            a.put("actor", e.actor());
            if (e.actorUser() != null) a.put("operator", e.actorUser());
            a.put("nature", e.nature());
            if (e.messageId() != null) a.put("messageId", e.messageId());
            a.put("outcome", e.outcome());
        }
        audit.record("operator", operator, "subject.exported", null, "ok", "request " + nur, List.of(nur));
        return out;
    }

    /** GET /operator/subjects/{nur} (operator token): the export as JSON; the operator named by X-Operator. */
    public void answer(org.apache.camel.Exchange exchange) {
        exchange.setProperty(fr.logement.gateway.http.HttpResponses.PARTNER, "operator");
        String path = exchange.getMessage().getHeader(org.apache.camel.Exchange.HTTP_PATH, String.class);
        String nur = path == null ? "" : path.replaceAll("^/+", "");
        String who = exchange.getMessage().getHeader("X-Operator", String.class);
        if (who == null || !who.matches("[A-Za-z0-9_.@-]{1,64}")) who = "operator";
        if (!nur.matches("[A-Za-z0-9]{1,18}")) {
            throw new fr.logement.gateway.ingress.RejectedException(400, "invalid_request_number", "nur",
                    "a request number is 1 to 18 letters or digits");
        }
        fr.logement.gateway.http.HttpResponses.json(exchange, 200, export(nur, who));
    }

    private ArrayNode exchanges(String messageId) {
        ArrayNode a = JSON.createArrayNode();
        for (JournalEntry j : journal.entriesOf(messageId)) {
            ObjectNode x = a.addObject();
            x.put("at", j.recordedAt().toString());
            x.put("direction", j.direction().name());
            x.put("partner", j.partnerId());
            x.put("status", j.status());
            x.put("flow", j.flow());
            x.put("purpose", j.purpose());
            x.set("categoriesSent", JSON.valueToTree(j.categoriesSent()));
            x.set("categoriesDropped", JSON.valueToTree(j.categoriesDropped()));
        }
        return a;
    }

    private static ArrayNode array(List<ObjectNode> rows) {
        ArrayNode a = JSON.createArrayNode();
        rows.forEach(a::add);
        return a;
    }

    private static List<ObjectNode> rows(Connection c, String sql, String param) throws SQLException {
        List<ObjectNode> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                var md = rs.getMetaData();
                while (rs.next()) {
                    ObjectNode o = JSON.createObjectNode();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        String name = md.getColumnLabel(i).toLowerCase();
                        if (v == null) o.putNull(name);
                        else if (v instanceof Number n) o.put(name, n.longValue());
                        else if (v instanceof java.sql.Timestamp t) o.put(name, t.toInstant().toString());
                        else if (v instanceof java.time.OffsetDateTime t) o.put(name, t.toInstant().toString());
                        else o.put(name, v.toString());
                    }
                    out.add(o);
                }
            }
        }
        return out;
    }
}
