package fr.logement.gateway.employer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.config.PartnerDirectory;
import fr.logement.gateway.http.HttpResponses;
import fr.logement.gateway.http.Json;
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

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What an employer may see of an employee's request. ALS sends the request with the employee's choice; the gateway
 * keeps of it only what the widest choice (mandate) may see, and when the employer asks
 * (GET /api/v1/employers/{id}/requests/{numeroUnique}) answers with what the choice in force <em>then</em> allows:
 * minimal gives names, request number and status; mandate what acting for the employee requires; anonymous, another
 * company's employee or an unknown request the same 403. The answer is signed by the gateway, journaled and audited.
 */
public final class EmployeeRequestViews {
    public static final String FLOW = "employee_request";

    private final DataSource db;
    private final PartnerDirectory partners;
    private final EmployeeChoices choices;
    private final OutboundFilter filter;
    private final DetachedJws signer;
    private final Journal journal;
    private final AuditTrail audit;
    private final Clock clock;

    public EmployeeRequestViews(DataSource db, PartnerDirectory partners, EmployeeChoices choices, OutboundFilter filter,
                                DetachedJws signer, Journal journal, AuditTrail audit, Clock clock) {
        this.db = db;
        this.partners = partners;
        this.choices = choices;
        this.filter = filter;
        this.signer = signer;
        this.journal = journal;
        this.audit = audit;
        this.clock = clock;
    }

    /** Keeps (replacing the one before) what an employer could ever see of the request: nothing else is stored. */
    public void keep(String numeroUnique, String employerSiret, JsonNode request) {
        ObjectNode doc = ((ObjectNode) request.deepCopy()).put("numeroUnique", numeroUnique);
        String kept = filter.minimiseForFlow(FLOW, doc, FLOW).filtered().toString();
        Transactions.inTransaction(db, "keep the employer's view of a request", c -> {
            try (PreparedStatement del = c.prepareStatement("delete from employee_request_view where numero_unique = ?");
                 PreparedStatement ins = c.prepareStatement("insert into employee_request_view (numero_unique, "
                         + "employer_siret, body, updated_at) values (?,?,?,?)")) {
                del.setString(1, numeroUnique);
                del.executeUpdate();
                ins.setString(1, numeroUnique);
                ins.setString(2, employerSiret);
                ins.setString(3, kept);
                ins.setTimestamp(4, Timestamp.from(clock.instant()));
                ins.executeUpdate();
            }
            return null;
        });
    }

    /** What {@code employer} may see now of the request: filtered for (employer, choice in force). 403 otherwise. */
    public FilterResult viewFor(Partner employer, String numeroUnique) {
        EmployeeChoices.Choice choice = choices.ofOwnEmployee(numeroUnique, employer);
        JsonNode kept = stored(numeroUnique).orElseThrow(() -> new RejectedException(404, "no_request_details",
                "numeroUnique", "ALS has not sent the details of this request"));
        return filter.filter(FLOW, kept, "employer", choice.choice());
    }

    /** Route step for GET /api/v1/employers/{employerId}/requests/{numeroUnique}. */
    public void answer(Exchange exchange) {
        exchange.setProperty(HttpResponses.FLOW, FLOW);
        String caller = exchange.getProperty(HttpResponses.PARTNER, String.class);
        String nur = EmployerPath.ownItem(exchange, "requests", "numeroUnique", "not_your_employee",
                "an employer may see its own employees' requests only");
        if (!nur.matches("[A-Za-z0-9]{1,18}")) {
            throw new RejectedException(400, "invalid_request_number", "numeroUnique", "a request number is 1 to 18 letters or digits");
        }
        Partner employer = partners.find(caller).orElseThrow();
        String readId = "view-" + caller + "-" + nur + "-" + clock.millis();
        FilterResult view = viewFor(employer, nur);                  // a refusal is audited by the route's handler
        byte[] body = view.filtered().toString().getBytes(StandardCharsets.UTF_8);
        journal.record(readId, FLOW, caller, Direction.OUT, "ANSWERED", Digests.sha256(body), "employer",
                List.copyOf(view.categoriesSent()), List.copyOf(view.categoriesDropped()), view.droppedPaths(), null);
        audit.record(caller, null, "employee_request.read", readId, "ok", String.join(",", view.categoriesSent()),
                List.of(nur));
        HttpResponses.json(exchange, 200, Json.parse(body));
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(DetachedJws.HTTP_HEADER, signer.sign(body, readId));
    }

    private Optional<JsonNode> stored(String numeroUnique) {
        return Transactions.inTransaction(db, "read the employer's view of a request", c -> {
            try (PreparedStatement ps = c.prepareStatement("select body from employee_request_view where numero_unique = ?")) {
                ps.setString(1, numeroUnique);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Json.parse(rs.getString(1).getBytes(StandardCharsets.UTF_8)))
                            : Optional.<JsonNode>empty();
                }
            }
        });
    }
}
