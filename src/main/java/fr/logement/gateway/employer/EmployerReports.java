package fr.logement.gateway.employer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.config.PartnerDirectory;
import fr.logement.gateway.http.HttpResponses;
import fr.logement.gateway.http.Json;
import fr.logement.gateway.ingress.RejectedException;
import fr.logement.gateway.jose.DetachedJws;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.Journal;
import fr.logement.gateway.journal.JournalEntry.Direction;
import fr.logement.gateway.journal.Transactions;
import org.apache.camel.Exchange;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per employer and month, the number of allocations (lease signed, or an allocation outside designation) to its
 * employees who had not chosen anonymity when the allocation was reported. A count below the threshold reads
 * "fewer than N"; nothing else is said (no breakdown, no handicap or priority category). A report is released once
 * the month is over, then frozen: asking again returns the same signed report, and an allocation reported late is
 * counted in the next report — so subtracting two reports reveals no one.
 */
public final class EmployerReports {
    static final List<String> ALLOCATIONS = List.of("lease_signed", "allocation_outside_designation");

    /** A released report: its JSON and the gateway's detached JWS over it. */
    public record Report(String employerId, String period, byte[] body, String signature) {}

    private final DataSource db;
    private final PartnerDirectory partners;
    private final EmployeeChoices choices;
    private final DetachedJws signer;
    private final Journal journal;
    private final AuditTrail audit;
    private final Clock clock;
    private final int threshold;
    private java.net.http.HttpClient push;
    private int months = 1;

    /**
     * Reports cover periods of {@code months} calendar months (1 monthly, 3 quarterly, 12 yearly...), aligned on the
     * year: a divisor of 12, so that every period starts in the same months every year.
     */
    public EmployerReports withPeriodMonths(int months) {
        if (months < 1 || 12 % months != 0) {
            throw new fr.logement.gateway.config.ConfigurationException("application.properties",
                    "gateway.employer.report-months", "must divide the year: 1, 2, 3, 4, 6 or 12 (got " + months + ")");
        }
        this.months = months;
        return this;
    }

    /** The period starting with {@code first}: 400 when no period starts that month. */
    private YearMonth checkStart(YearMonth first) {
        if ((first.getMonthValue() - 1) % months != 0) {
            throw new RejectedException(400, "invalid_period", "period", "periods are " + months + " months long and "
                    + "start in " + java.util.stream.IntStream.iterate(1, m -> m <= 12, m -> m + months)
                    .mapToObj(m -> YearMonth.of(first.getYear(), m).toString()).toList());
        }
        return first;
    }

    /** The last period that is over at {@code now}. */
    public YearMonth lastPeriodOver(Instant now) {
        YearMonth current = YearMonth.from(now.atZone(ZoneOffset.UTC));
        YearMonth start = current.minusMonths((current.getMonthValue() - 1) % months);
        return start.minusMonths(months);
    }

    /** Pushes released reports to employers that have an endpoint, over mutual TLS with {@code tls}. */
    public EmployerReports pushingWith(javax.net.ssl.SSLContext tls) {
        this.push = java.net.http.HttpClient.newBuilder().sslContext(tls)
                .connectTimeout(java.time.Duration.ofSeconds(5)).build();
        return this;
    }

    public EmployerReports(DataSource db, PartnerDirectory partners, EmployeeChoices choices, DetachedJws signer,
                           Journal journal, AuditTrail audit, Clock clock, int threshold) {
        this.db = db;
        this.partners = partners;
        this.choices = choices;
        this.signer = signer;
        this.journal = journal;
        this.audit = audit;
        this.clock = clock;
        this.threshold = threshold;
    }

    /** The employer's report for the period starting in {@code period}: the released one, or released now if over. */
    public synchronized Report release(String employerId, YearMonth period) {
        checkStart(period);
        Partner employer = partners.find(employerId).filter(p -> p.is(Partner.PartnerKind.employer))
                .orElseThrow(() -> new IllegalArgumentException("not an employer: " + employerId));
        Optional<Report> released = stored(employerId, period);
        if (released.isPresent()) return released.get();
        Instant end = period.plusMonths(months).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        if (clock.instant().isBefore(end)) {
            throw new RejectedException(409, "period_not_over", "period", "a period is reported once it is over");
        }
        return Transactions.inTransaction(db, "release the employer report", c -> {
            List<String[]> counted = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select e.landlord_id, e.message_id, e.numero_unique, e.received_at "
                    + "from allocation_event e where e.event_type in (?, ?) and e.received_at < ? and not exists "
                    + "(select 1 from employer_report_event r where r.employer_id = ? and r.landlord_id = e.landlord_id "
                    + "and r.message_id = e.message_id) order by e.received_at")) {
                ps.setString(1, ALLOCATIONS.get(0));
                ps.setString(2, ALLOCATIONS.get(1));
                ps.setTimestamp(3, Timestamp.from(end));
                ps.setString(4, employerId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        var choice = choices.at(rs.getString(3), rs.getTimestamp(4).toInstant());
                        if (choice.isEmpty() || choice.get().anonymous()) continue;      // anonymous: never counted
                        if (!belongsTo(choice.get().employerSiret(), employer)) continue;
                        counted.add(new String[]{rs.getString(1), rs.getString(2)});
                    }
                }
            }
            try (PreparedStatement ins = c.prepareStatement("insert into employer_report_event (employer_id, landlord_id, "
                    + "message_id, period) values (?,?,?,?)")) {
                for (String[] k : counted) {
                    ins.setString(1, employerId);
                    ins.setString(2, k[0]);
                    ins.setString(3, k[1]);
                    ins.setString(4, period.toString());
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("employerId", employerId);
            body.put("siret", employer.siret());
            body.put("period", period.toString());
            body.put("from", period.atDay(1).toString());
            body.put("to", period.plusMonths(months - 1).atEndOfMonth().toString());
            if (counted.size() < threshold) body.put("allocations", "fewer than " + threshold);
            else body.put("allocations", counted.size());
            body.put("counting", "allocations reported in or before the period and not in an earlier report, to "
                    + "employees who had not chosen anonymity");
            body.put("releasedAt", clock.instant().toString());
            byte[] bytes = Json.bytes(body);
            String signature = signer.sign(bytes, employerId + ":" + period);
            try (PreparedStatement ps = c.prepareStatement("insert into employer_report (employer_id, period, released_at, "
                    + "body, signature) values (?,?,?,?,?)")) {
                ps.setString(1, employerId);
                ps.setString(2, period.toString());
                ps.setTimestamp(3, Timestamp.from(clock.instant()));
                ps.setString(4, new String(bytes, StandardCharsets.UTF_8));
                ps.setString(5, signature);
                ps.executeUpdate();
            }
            journal.record("report-" + employerId + "-" + period, "employer_report", employerId, Direction.OUT,
                    "RELEASED", null, "counts", List.of("message"), List.of(), List.of(), null);
            return new Report(employerId, period.toString(), bytes, signature);
        });
    }

    /**
     * Releases the last period's report of every employer (if not yet released) and pushes those not yet pushed to the
     * employers that have an endpoint; a failed push is tried again at the next call. Returns how many were pushed.
     */
    public synchronized int releaseAndPushDue() {
        YearMonth last = lastPeriodOver(clock.instant());
        int pushed = 0;
        for (Partner p : partners.all()) {
            if (!p.is(Partner.PartnerKind.employer)) continue;
            Report r = release(p.id(), last);
            if (p.endpoint() != null && push != null && !alreadyPushed(p.id(), last) && pushTo(p, r)) pushed++;
        }
        return pushed;
    }

    private boolean pushTo(Partner employer, Report r) {
        try {
            var answer = push.send(java.net.http.HttpRequest.newBuilder(employer.endpoint())
                    .timeout(java.time.Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header(DetachedJws.HTTP_HEADER, r.signature())
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(r.body())).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() / 100 != 2) return false;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        Transactions.inTransaction(db, "record the report push", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "update employer_report set pushed_at = ? where employer_id = ? and period = ?")) {
                ps.setTimestamp(1, Timestamp.from(clock.instant()));
                ps.setString(2, employer.id());
                ps.setString(3, r.period());
                ps.executeUpdate();
            }
            return null;
        });
        journal.record("report-" + employer.id() + "-" + r.period(), "employer_report", employer.id(), Direction.OUT,
                "PUSHED", null, "counts", List.of("message"), List.of(), List.of(), "endpoint");
        return true;
    }

    private boolean alreadyPushed(String employerId, YearMonth period) {
        return Transactions.inTransaction(db, "read employer reports", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select pushed_at from employer_report where employer_id = ? and period = ?")) {
                ps.setString(1, employerId);
                ps.setString(2, period.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getTimestamp(1) != null;
                }
            }
        });
    }

    /** An employer's SIRET, or a SIRET of the same company (SIREN) when the employer registered one establishment. */
    static boolean belongsTo(String employeeSiret, Partner employer) {
        if (employer.siret() != null && employer.siret().equals(employeeSiret)) return true;
        String siren = employer.siren() != null ? employer.siren() : employer.siret() == null ? null : employer.siret().substring(0, 9);
        return siren != null && employeeSiret.startsWith(siren);
    }

    private Optional<Report> stored(String employerId, YearMonth period) {
        return Transactions.inTransaction(db, "read employer reports", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select body, signature from employer_report where employer_id = ? and period = ?")) {
                ps.setString(1, employerId);
                ps.setString(2, period.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<Report>empty();
                    return Optional.of(new Report(employerId, period.toString(),
                            rs.getString(1).getBytes(StandardCharsets.UTF_8), rs.getString(2)));
                }
            }
        });
    }

    /** GET /api/v1/employers/{employerId}/reports/{yyyy-MM}: an employer fetches its own report (403 otherwise). */
    public void answer(Exchange exchange) {
        exchange.setProperty(HttpResponses.FLOW, "employer_report");
        String caller = exchange.getProperty(HttpResponses.PARTNER, String.class);
        String first = EmployerPath.ownItem(exchange, "reports", "yyyy-MM", "not_your_report",
                "an employer may fetch its own reports only");
        YearMonth period;
        try {
            period = YearMonth.parse(first);
        } catch (DateTimeParseException e) {
            throw new RejectedException(400, "invalid_period", "period", "expected yyyy-MM");
        }
        Report r = release(caller, period);
        audit.record(caller, null, "employer_report.read", "report-" + caller + "-" + period, "ok", null);
        HttpResponses.json(exchange, 200, Json.parse(r.body()));
        exchange.getMessage().setBody(r.body());
        exchange.getMessage().setHeader(DetachedJws.HTTP_HEADER, r.signature());
    }
}
