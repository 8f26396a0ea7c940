package fr.logement.gateway.journal;

import fr.logement.gateway.config.GatewaySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commit on the real journal database: concurrent writes all land, a failing one is undone alone and its caller
 * gets its own error, work is visible only once committed, and nothing is accepted when the database is gone.
 */
class GroupCommitTest {
    @TempDir
    Path data;

    private static void insert(java.sql.Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into employee_choice (numero_unique, employer_siret, "
                + "choice, effective_at, received_at, message_id) values ('94GC1', '44306184100013', 'minimal', "
                + "current_timestamp, current_timestamp, ?)")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    private static int count(JournalDatabase db, String like) throws SQLException {
        try (var c = db.dataSource().getConnection();
             var ps = c.prepareStatement("select count(*) from employee_choice where message_id like ?")) {
            ps.setString(1, like);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void concurrentWritesShareCommitsAndAFailureIsUndoneAlone() throws Exception {
        GatewaySettings s = GatewaySettings.load(Path.of("config"), Map.of("gateway.data-dir", data.toString()));
        try (JournalDatabase db = JournalDatabase.open(s); GroupCommit group = new GroupCommit(db.dataSource(), "test")) {
            ExecutorService clients = Executors.newFixedThreadPool(16);
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String id = "gc-" + i;
                outcomes.add(clients.submit(() -> {
                    try {
                        return group.run("test", c -> {
                            insert(c, id);
                            if (id.endsWith("7")) insert(c, id);               // its own duplicate: this work fails
                            return id;
                        });
                    } catch (JournalUnavailableException e) {
                        return "failed " + id;
                    }
                }));
            }
            int failed = 0;
            for (Future<String> f : outcomes) if (f.get().startsWith("failed")) failed++;
            clients.shutdown();
            assertEquals(40, failed, "each work ending in 7 failed, and only those");
            assertEquals(360, count(db, "gc-%"), "the others committed, none of the failed ones' first insert kept");

            // A caller's result is returned only once committed: another connection sees it at once.
            group.run("test", c -> {
                insert(c, "after-1");
                return null;
            });
            assertEquals(1, count(db, "after-%"));
            // Work asked for inside a transaction joins it: rolled back with it.
            assertThrows(IllegalStateException.class, () -> Transactions.inTransaction(db.dataSource(), "outer", c -> {
                group.run("inner", c2 -> {
                    insert(c2, "joined-1");
                    return null;
                });
                throw new IllegalStateException("outer fails");
            }));
            assertEquals(0, count(db, "joined-%"));
        }
    }

    @Test
    void withoutTheDatabaseEveryCallerIsRefused() {
        org.h2.jdbcx.JdbcDataSource absent = new org.h2.jdbcx.JdbcDataSource();   // no such database: every connect fails
        absent.setURL("jdbc:h2:file:" + data.resolve("absent") + ";IFEXISTS=TRUE");
        try (GroupCommit group = new GroupCommit(absent, "test")) {
            JournalUnavailableException e = assertThrows(JournalUnavailableException.class, () -> group.run("write",
                    c -> {
                        insert(c, "gone-1");
                        return null;
                    }));
            assertTrue(e.getMessage().startsWith("cannot"), e.getMessage());
        }
    }
}
