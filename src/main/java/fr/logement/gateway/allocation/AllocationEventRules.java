package fr.logement.gateway.allocation;

import com.fasterxml.jackson.databind.JsonNode;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.config.Territory;
import fr.logement.gateway.designation.DesignationRegistry;
import fr.logement.gateway.designation.DesignationStatus;
import fr.logement.gateway.ingress.JsonSchemaCheck;
import fr.logement.gateway.ingress.Problem;
import fr.logement.gateway.ingress.RejectedException;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a landlord may report this event, and whether it makes sense now: the schema, then authorisation (a
 * landlord reports only on designations delivered to it, and on homes in its own territory), then the state (no
 * lease before an allocation, no rank decided twice, nothing after a lease or a taking back, no event on an unknown
 * designation or candidate). Each refusal names the field and the reason.
 */
public final class AllocationEventRules {
    public static final String OUTSIDE = "allocation_outside_designation";
    static final Set<String> ALLOCATED = Set.of("allocated_rank_1", "allocated_rank_2", "allocated_rank_3",
            "allocated_under_condition");
    static final Set<String> ABOUT_A_CANDIDATE = Set.of("caleol_decision", "lease_signed", "withdrawal",
            "not_retained_complete_file", "file_not_transmitted");

    private final JsonSchemaCheck schema;
    private final DesignationRegistry designations;
    private final AllocationEventStore events;
    private final Territory territory;

    public AllocationEventRules(Path schemasDir, DesignationRegistry designations, AllocationEventStore events,
                                Territory territory) {
        this.schema = new JsonSchemaCheck(schemasDir.resolve("allocation-event.schema.json"));
        this.designations = designations;
        this.events = events;
        this.territory = territory;
    }

    /** What was checked: the event's key facts and, unless outside designation, its designation and candidates. */
    public record Checked(String type, String messageId, DesignationStatus designation, Map<String, Integer> candidates,
                          String numeroUnique, String decision, LocalDate eventDate) {}

    /** Schema only (400): run before anything is looked up, so a malformed event costs nothing. */
    public void validate(JsonNode event) {
        List<Problem> problems = schema.problems(event);
        if (!problems.isEmpty()) throw new RejectedException(400, "invalid_event", problems);
    }

    /** Authorisation (403) and state (409), for a schema-valid event from {@code landlord}. */
    public Checked check(Partner landlord, JsonNode e) {
        String type = e.path("type").asText();
        String messageId = e.path("messageId").asText();
        String numeroUnique = e.path("numeroUnique").asText(null);
        String decision = e.path("decision").asText(null);
        LocalDate date = LocalDate.parse(e.path("eventDate").asText());
        if (OUTSIDE.equals(type)) {
            String commune = e.path("communeInsee").asText();
            if (territory.departementOf(commune).isEmpty()) {
                throw new RejectedException(400, "invalid_event", "communeInsee", "unknown commune");
            }
            if (!territory.covers(landlord.territory(), commune)) {
                throw new RejectedException(403, "not_your_home", "communeInsee",
                        "the home is outside the territory where you hold homes");
            }
            return new Checked(type, messageId, null, Map.of(), numeroUnique, null, date);
        }

        List<DesignationStatus> found = designations.byDesignationId(e.path("designationId").asText());
        if (found.isEmpty()) {
            throw new RejectedException(409, "unknown_designation", "designationId", "no designation with this id");
        }
        Optional<DesignationStatus> own = found.stream().filter(d -> d.landlordId().equals(landlord.id())).findFirst();
        if (own.isEmpty()) {
            throw new RejectedException(403, "not_your_designation", "designationId",
                    "this designation was not made to you");
        }
        DesignationStatus d = own.get();
        if (d.state() != DesignationStatus.State.DELIVERED) {
            throw new RejectedException(409, "not_delivered", "designationId",
                    "this designation has not been delivered to you");
        }
        Map<String, Integer> candidates = designations.candidates(d.messageId());
        if (ABOUT_A_CANDIDATE.contains(type) && !candidates.containsKey(numeroUnique)) {
            throw new RejectedException(409, "unknown_candidate", "numeroUnique", "not a candidate of this designation");
        }
        checkState(type, numeroUnique, decision, events.ofDesignation(d.messageId()));
        return new Checked(type, messageId, d, candidates, numeroUnique, decision, date);
    }

    private static void checkState(String type, String candidate, String decision, List<StoredEvent> history) {
        for (StoredEvent h : history) {
            if (h.type().equals("lease_signed")) {
                throw new RejectedException(409, "lease_already_signed", "designationId",
                        "a lease was already signed for this offer");
            }
            if (h.type().equals("offer_taken_back")) {
                throw new RejectedException(409, "offer_taken_back", "designationId",
                        "the offer was taken back; no later event is accepted");
            }
        }
        if (candidate == null) return;
        Optional<String> decided = history.stream()
                .filter(h -> h.type().equals("caleol_decision") && candidate.equals(h.numeroUnique()))
                .map(StoredEvent::decision).findFirst();
        boolean withdrew = history.stream().anyMatch(h -> h.type().equals("withdrawal") && candidate.equals(h.numeroUnique()));
        switch (type) {
            case "caleol_decision" -> {
                if (withdrew) conflict("decision_conflict", "numeroUnique", "the candidate has withdrawn");
                if (decided.isPresent() && !decided.get().equals(decision)) {
                    conflict("decision_conflict", "decision", "this candidate already has another decision");
                }
                if (decision.startsWith("allocated_rank_") && history.stream().anyMatch(h -> decision.equals(h.decision())
                        && !candidate.equals(h.numeroUnique()))) {
                    conflict("decision_conflict", "decision", "this rank was already decided for another candidate");
                }
            }
            case "lease_signed" -> {
                if (decided.isEmpty() || !ALLOCATED.contains(decided.get())) {
                    conflict("no_allocation", "numeroUnique", "no lease before an allocation to this candidate");
                }
                if (withdrew) conflict("decision_conflict", "numeroUnique", "the candidate has withdrawn");
            }
            case "withdrawal" -> {
                if (withdrew) conflict("already_reported", "numeroUnique", "the candidate's withdrawal was already reported");
            }
            case "not_retained_complete_file", "file_not_transmitted" -> {
                if (history.stream().anyMatch(h -> h.type().equals(type) && candidate.equals(h.numeroUnique()))) {
                    conflict("already_reported", "type", "this event was already reported for this candidate");
                }
                if (type.equals("not_retained_complete_file") && decided.filter("ineligible"::equals).isPresent()) {
                    conflict("decision_conflict", "type", "the candidate was found ineligible");
                }
            }
            default -> { }
        }
    }

    private static void conflict(String code, String path, String reason) {
        throw new RejectedException(409, code, path, reason);
    }
}
