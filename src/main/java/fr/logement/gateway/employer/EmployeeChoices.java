package fr.logement.gateway.employer;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.config.Identifiers;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.http.HttpResponses;
import fr.logement.gateway.http.Json;
import fr.logement.gateway.ingress.JsonSchemaCheck;
import fr.logement.gateway.ingress.Problem;
import fr.logement.gateway.ingress.RejectedException;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.JournalUnavailableException;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The employees' choices as ALS reports them (POST /api/v1/employee-choices), kept with their whole history. */
public final class EmployeeChoices {
    public static final String FLOW = "employee_choice";

    /** One choice: who, which employer, what, from when. */
    public record Choice(String numeroUnique, String employerSiret, String choice, Instant effectiveAt) {
        public boolean anonymous() {
            return "anonymous".equals(choice);
        }
    }

    private final JsonSchemaCheck schema;
    private final DataSource db;
    private final AuditTrail audit;
    private final Clock clock;
    private EmployeeRequestViews views;

    public EmployeeChoices(Path schemasDir, DataSource db, AuditTrail audit, Clock clock) {
        this.schema = new JsonSchemaCheck(schemasDir.resolve("employee-choice.schema.json"));
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    /** Where the requests ALS sends with the choices are kept for the employers. */
    public EmployeeChoices keepingViewsIn(EmployeeRequestViews views) {
        this.views = views;
        return this;
    }

    /** Route step: validates and records the choice; answers 202. The same message again is answered the same. */
    public void accept(Exchange exchange) {
        exchange.setProperty(HttpResponses.FLOW, FLOW);
        String partner = exchange.getProperty(HttpResponses.PARTNER, String.class);
        JsonNode c = Json.parse(exchange.getMessage().getBody(byte[].class));
        List<Problem> problems = schema.problems(c);
        if (problems.isEmpty() && !Identifiers.isSiret(c.path("employerSiret").asText())) {
            problems = List.of(new Problem("employerSiret", "not a valid SIRET (check digit)"));
        }
        if (!problems.isEmpty()) throw new RejectedException(400, "invalid_choice", problems);
        boolean first = record(c.path("messageId").asText(), new Choice(c.path("numeroUnique").asText(), c.path("employerSiret").asText(),
                c.path("choice").asText(), Instant.parse(c.path("effectiveAt").asText())));
        if (first && c.has("request") && views != null) {            // an old message sent again changes nothing
            views.keep(c.path("numeroUnique").asText(), c.path("employerSiret").asText(), c.path("request"));
        }
        audit.record(partner, null, FLOW + ".received", c.path("messageId").asText(), "accepted", c.path("choice").asText());
        HttpResponses.json(exchange, 202, Map.of("messageId", c.path("messageId").asText(), "status", "recorded"));
    }

    /** Records a choice; false when this message was already recorded (no second effect). */
    public boolean record(String messageId, Choice c) {
        try (Connection con = db.getConnection()) {
            try (PreparedStatement q = con.prepareStatement("select count(*) from employee_choice where message_id = ?")) {
                q.setString(1, messageId);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) return false;               // sent again: no second effect
                }
            }
            try (PreparedStatement ps = con.prepareStatement("insert into employee_choice (numero_unique, employer_siret, "
                    + "choice, effective_at, received_at, message_id) values (?,?,?,?,?,?)")) {
                ps.setString(1, c.numeroUnique());
                ps.setString(2, c.employerSiret());
                ps.setString(3, c.choice());
                ps.setTimestamp(4, Timestamp.from(c.effectiveAt()));
                ps.setTimestamp(5, Timestamp.from(clock.instant()));
                ps.setString(6, messageId);
                ps.executeUpdate();
                return true;
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot record the employee's choice", e);
        }
    }

    /**
     * The choice in force now for a request of one of {@code employer}'s employees who did not choose anonymity.
     * Unknown, anonymous or another company's employee get one answer (403), so the employer learns nothing it may not.
     */
    public Choice ofOwnEmployee(String numeroUnique, Partner employer) {
        Optional<Choice> choice = at(numeroUnique, clock.instant());
        if (choice.isEmpty() || choice.get().anonymous() || !EmployerReports.belongsTo(choice.get().employerSiret(), employer)) {
            throw new RejectedException(403, "not_your_employee", "numeroUnique",
                    "this request is not one of your employees' (or the employee chose anonymity)");
        }
        return choice.get();
    }

    /** The choice in force for a request at a moment: the latest effective at or before it. */
    public Optional<Choice> at(String numeroUnique, Instant moment) {
        try (Connection con = db.getConnection(); PreparedStatement ps = con.prepareStatement(
                "select numero_unique, employer_siret, choice, effective_at from employee_choice where numero_unique = ? "
                        + "and effective_at <= ? order by effective_at desc, id desc")) {
            ps.setString(1, numeroUnique);
            ps.setTimestamp(2, Timestamp.from(moment));
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Choice(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant()));
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot read the employee's choice", e);
        }
    }
}
