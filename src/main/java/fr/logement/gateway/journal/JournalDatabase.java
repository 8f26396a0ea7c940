package fr.logement.gateway.journal;

import fr.logement.gateway.config.GatewaySettings;
import org.flywaydb.core.Flyway;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;

/**
 * The journal database: an H2 file under the data directory by default, PostgreSQL when a JDBC URL is configured;
 * its schema is created and upgraded by Flyway migrations (src/main/resources/db/migration).
 */
public final class JournalDatabase implements AutoCloseable {
    private final HikariDataSource pool;
    private final GroupCommit groupCommit;

    private JournalDatabase(HikariDataSource pool) {
        this.pool = pool;
        this.groupCommit = new GroupCommit(pool, "journal");
    }

    public static JournalDatabase open(GatewaySettings settings) {
        String url = settings.get("gateway.db.url", "");
        HikariConfig config = new HikariConfig();
        if (url.isEmpty() || url.startsWith("jdbc:h2:")) {
            // WRITE_DELAY=0: each commit reaches the file before the caller goes on (H2 would otherwise keep up to
            // half a second of committed transactions in memory, lost if the process is killed). The gateway closes
            // it itself, after its routes (DB_CLOSE_ON_EXIT=FALSE). QUERY_CACHE_SIZE: each connection keeps its parsed
            // statements (a flow runs a few dozen distinct ones; H2 keeps 8 by default and parsed them again).
            config.setJdbcUrl(url.isEmpty() ? "jdbc:h2:file:" + settings.dataDir().resolve("journal/gateway")
                    + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64" : url);
        } else if (url.startsWith("jdbc:postgresql:")) {
            config.setJdbcUrl(url);
        } else {
            throw new fr.logement.gateway.config.ConfigurationException("application.properties", "gateway.db.url",
                    "only H2 (jdbc:h2:) and PostgreSQL (jdbc:postgresql:) are supported");
        }
        config.setUsername(settings.get("gateway.db.user", "gateway"));
        config.setPassword(settings.get("gateway.db.password", ""));
        config.setPoolName("journal");
        config.setMaximumPoolSize(20);
        config.setMinimumIdle(2);
        // While the database is unreachable a request waits at most this long for a connection, then is refused (503).
        config.setConnectionTimeout(Long.parseLong(settings.get("gateway.db.connection-timeout-ms", "2000")));
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
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
        pool.close();
    }
}
