package fr.logement.gateway.journal;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs work on one connection in one transaction: committed when it returns, rolled back when it throws. Work started
 * while this thread already runs a transaction on the same database joins it (one commit for the whole), so that an
 * intake can make a message, its journal entry and its audit entry durable together.
 */
public final class Transactions {
    private static final ThreadLocal<java.util.Map<DataSource, Connection>> OPEN =
            ThreadLocal.withInitial(java.util.HashMap::new);

    private Transactions() {}

    /** A unit of work on a connection. */
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Whether this thread is running a transaction on {@code db}. */
    public static boolean isOpen(DataSource db) {
        return OPEN.get().containsKey(db);
    }

    /** @param what for the error: "cannot {what}" when the database fails */
    public static <T> T inTransaction(DataSource db, String what, Work<T> work) {
        Connection open = OPEN.get().get(db);
        try {
            if (open != null) return work.run(open);                   // joins the transaction already open
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot " + what, e);
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            OPEN.get().put(db, c);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                OPEN.get().remove(db);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot " + what, e);
        }
    }
}
