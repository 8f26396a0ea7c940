package fr.logement.gateway.cluster;

import fr.logement.gateway.journal.JournalUnavailableException;
import fr.logement.gateway.journal.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which gateway instance runs a singleton job (registry imports, SNE sync, employer reports, purge): the one
 * holding the job's lease in the shared database (table job_lease). The holder renews its leases every third of
 * their duration while it lives; when it dies they expire, and the next instance whose timer fires takes the job
 * over. Lease times are the database's clock, so the instances' clocks need not agree.
 */
public final class SingletonJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SingletonJobs.class);

    private final DataSource db;
    private final String instance;
    private final String expiry;
    private final ScheduledExecutorService renewal;
    private final Map<String, AtomicLong> runsHere = new ConcurrentHashMap<>();

    public SingletonJobs(DataSource db, String instance, int leaseSeconds) {
        if (leaseSeconds < 1) throw new IllegalArgumentException("gateway.jobs.lease-seconds must be at least 1");
        this.db = db;
        this.instance = instance;
        this.expiry = "current_timestamp + interval '" + leaseSeconds + "' second";   // an int: no injection
        this.renewal = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "job-lease-renewal");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(200, leaseSeconds * 1000L / 3);
        renewal.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    public String instance() {
        return instance;
    }

    /**
     * True when this instance holds (or has just taken) the lease of {@code job} and should run it now. A database
     * outage answers false: a job never runs without its lease.
     */
    public boolean holds(String job) {
        try {
            boolean held = Transactions.inTransaction(db, "take a job lease", c -> {
                try (PreparedStatement up = c.prepareStatement("update job_lease set holder = ?, expires_at = " + expiry
                        + " where job = ? and (holder = ? or expires_at < current_timestamp)")) {
                    up.setString(1, instance);
                    up.setString(2, job);
                    up.setString(3, instance);
                    if (up.executeUpdate() == 1) return true;
                }
                try (PreparedStatement in = c.prepareStatement("insert into job_lease (job, holder, expires_at) "
                        + "select ?, ?, " + expiry + " where not exists (select 1 from job_lease where job = ?)")) {
                    in.setString(1, job);
                    in.setString(2, instance);
                    in.setString(3, job);
                    return in.executeUpdate() == 1;
                }
            });
            if (held) runsHere.computeIfAbsent(job, j -> new AtomicLong()).incrementAndGet();
            return held;
        } catch (JournalUnavailableException e) {
            if (e.getCause() instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("23")) {
                return false;   // two instances took a new job at once: the other one's insert won
            }
            LOG.warn("job {} skipped on instance {}: its lease cannot be checked ({})", job, instance, e.getMessage());
            return false;
        }
    }

    /** How many times this instance ran {@code job} (for the health page and the tests). */
    public long runsHere(String job) {
        AtomicLong n = runsHere.get(job);
        return n == null ? 0 : n.get();
    }

    private void renew() {
        try {
            Transactions.inTransaction(db, "renew job leases", c -> {
                try (PreparedStatement up = c.prepareStatement("update job_lease set expires_at = " + expiry
                        + " where holder = ?")) {
                    up.setString(1, instance);
                    return up.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("job leases of instance {} not renewed: {}", instance, e.getMessage());
        }
    }

    /** Stops renewing without releasing, as a dead instance would (tests). */
    public void abandon() {
        renewal.shutdownNow();
    }

    /** Stops renewing and releases this instance's leases, so another instance takes its jobs at once. */
    @Override
    public void close() {
        renewal.shutdownNow();
        try {
            Transactions.inTransaction(db, "release job leases", c -> {
                try (PreparedStatement d = c.prepareStatement("delete from job_lease where holder = ?")) {
                    d.setString(1, instance);
                    return d.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("job leases of instance {} not released (they will expire): {}", instance, e.getMessage());
        }
    }
}
