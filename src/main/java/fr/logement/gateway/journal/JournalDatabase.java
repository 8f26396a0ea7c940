package fr.logement.gateway.journal;

import fr.logement.gateway.config.GatewaySettings;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGConnectionPoolDataSource;

import javax.sql.DataSource;

/**
 * The journal database: an H2 file under the data directory by default, PostgreSQL when a JDBC URL is configured;
 * its schema is created and upgraded by Flyway migrations (src/main/resources/db/migration).
 */
public final class JournalDatabase implements AutoCloseable {
    private final JdbcConnectionPool pool;
    private final GroupCommit groupCommit;

    private JournalDatabase(JdbcConnectionPool pool) {
        this.pool = pool;
        this.groupCommit = new GroupCommit(pool, "journal");
    }

    public static JournalDatabase open(GatewaySettings settings) {
        String url = settings.get("gateway.db.url", "");
        JdbcConnectionPool pool;
        if (url.isEmpty() || url.startsWith("jdbc:h2:")) {
            JdbcDataSource h2 = new JdbcDataSource();
            // WRITE_DELAY=0: each commit reaches the file before the caller goes on (H2 would otherwise keep up to
            // half a second of committed transactions in memory, lost if the process is killed). The gateway closes
            // it itself, after its routes (DB_CLOSE_ON_EXIT=FALSE). QUERY_CACHE_SIZE: each connection keeps its parsed
            // statements (a flow runs a few dozen distinct ones; H2 keeps 8 by default and parsed them again).
            h2.setURL(url.isEmpty() ? "jdbc:h2:file:" + settings.dataDir().resolve("journal/gateway")
                    + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64" : url);
            h2.setUser(settings.get("gateway.db.user", "gateway"));
            h2.setPassword(settings.get("gateway.db.password", ""));
            pool = JdbcConnectionPool.create(h2);
        } else if (url.startsWith("jdbc:postgresql:")) {
            PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
            pg.setURL(url);
            pg.setUser(settings.get("gateway.db.user", "gateway"));
            pg.setPassword(settings.get("gateway.db.password", ""));
            pool = JdbcConnectionPool.create(pg);
        } else {
            throw new fr.logement.gateway.config.ConfigurationException("application.properties", "gateway.db.url",
                    "only H2 (jdbc:h2:) and PostgreSQL (jdbc:postgresql:) are supported");
        }
        pool.setMaxConnections(20);
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        return new JournalDatabase(pool);
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Where request paths hand their writes so that many requests share one commit. */
    public GroupCommit groupCommit() {
        return groupCommit;
    }

    @Override
    public void close() {
        groupCommit.close();
        pool.dispose();
    }
}
