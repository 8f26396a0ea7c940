package fr.logement.gateway.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit: the units of work that concurrent requests hand over are run by one writer thread, as many as are
 * waiting in one transaction, each under its own savepoint (one that fails is undone alone and its caller gets its
 * error). A caller returns only once the transaction holding its work is committed, so "durable before the answer"
 * holds, at the cost of one commit for many requests instead of one each.
 */
public final class GroupCommit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** At most this many units of work in one transaction. */
    static final int MAX_GROUP = 128;

    private record Pending<T>(Transactions.Work<T> work, CompletableFuture<T> done) {}

    private final DataSource db;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean open = true;

    public GroupCommit(DataSource db, String name) {
        this.db = db;
        this.writer = new Thread(this::write, "group-commit-" + name);
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Runs {@code work} in the next group and waits for its commit; returns its result or throws what it threw. Work
     * asked for from inside a transaction already open on this thread joins that one instead.
     */
    public <T> T run(String what, Transactions.Work<T> work) {
        if (Transactions.isOpen(db) || Thread.currentThread() == writer) return Transactions.inTransaction(db, what, work);
        if (!open) throw new JournalUnavailableException("cannot " + what + ": the database is closing", null);
        CompletableFuture<T> done = new CompletableFuture<>();
        queue.add(new Pending<>(work, done));
        try {
            return done.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new JournalUnavailableException("cannot " + what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JournalUnavailableException("interrupted while waiting to " + what, e);
        }
    }

    private void write() {
        while (open || !queue.isEmpty()) {
            List<Pending<?>> group = new ArrayList<>();
            try {
                Pending<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                commit(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                group.forEach(p -> p.done().completeExceptionally(new JournalUnavailableException("stopped", e)));
                return;
            } catch (RuntimeException e) {                          // the commit itself failed: every work of the group
                group.forEach(p -> p.done().completeExceptionally(e));
            }
        }
    }

    /** One transaction for the group; each work's outcome is released only after the commit. */
    private void commit(List<Pending<?>> group) {
        Object[] results = new Object[group.size()];
        Throwable[] errors = new Throwable[group.size()];
        Transactions.inTransaction(db, "commit a group of writes", c -> {
            for (int i = 0; i < group.size(); i++) {
                Savepoint sp = c.setSavepoint();
                try {
                    results[i] = group.get(i).work().run(c);
                    c.releaseSavepoint(sp);
                } catch (SQLException | RuntimeException e) {
                    c.rollback(sp);
                    errors[i] = e instanceof SQLException s ? new JournalUnavailableException("cannot write", s) : e;
                }
            }
            return null;
        });
        for (int i = 0; i < group.size(); i++) complete(group.get(i), results[i], errors[i]);
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> p, Object result, Throwable error) {
        if (error != null) p.done().completeExceptionally(error);
        else p.done().complete((T) result);
    }

    /** Stops taking work; what is already waiting is still written. */
    @Override
    public void close() {
        open = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) LOG.warn("the group-commit writer did not stop in time");
    }
}
