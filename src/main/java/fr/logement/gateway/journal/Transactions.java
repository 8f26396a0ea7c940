package fr.logement.gateway.journal;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Runs work on one connection in one transaction: committed when it returns, rolled back when it throws. */
public final class Transactions {
    private Transactions() {}

    /** A unit of work on a connection. */
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** @param what for the error: "cannot {what}" when the database fails */
    public static <T> T inTransaction(DataSource db, String what, Work<T> work) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new JournalUnavailableException("cannot " + what, e);
        }
    }
}
