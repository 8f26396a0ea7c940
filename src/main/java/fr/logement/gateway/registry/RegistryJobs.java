package fr.logement.gateway.registry;

import fr.logement.gateway.config.CertificateAuthorities;
import fr.logement.gateway.config.GatewaySettings;
import fr.logement.gateway.config.PartnerDirectory;
import fr.logement.gateway.config.Territory;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.Journal;
import fr.logement.gateway.journal.JournalDatabase;
import fr.logement.gateway.pki.PartnerCertificates;
import fr.logement.gateway.pki.Pki;
import fr.logement.gateway.policy.OutboundFilter;

import java.nio.file.Path;
import java.time.Clock;

/**
 * What a registry job run from the command line needs, without serving anything: configuration (checked as at
 * start-up), keys, the journal database, and the shared-file import. Run it while the gateway is stopped (the
 * embedded H2 file admits one process), or drop files into the running gateway's inbox instead.
 */
public final class RegistryJobs implements AutoCloseable {
    private final Territory territory;
    private final SharedFileLayout layout;
    private final Pki pki;
    private final JournalDatabase database;
    private final RegistryStore store;
    private final SharedFileImport sharedFileImport;

    private RegistryJobs(GatewaySettings settings) {
        Path configDir = settings.configDir();
        Path dataDir = settings.dataDir();
        Path schemas = Path.of(settings.get("gateway.schemas-dir", "schemas"));
        this.territory = Territory.load(configDir.resolve("reference"));
        PartnerDirectory partners = PartnerDirectory.load(configDir.resolve("partners.yaml"), territory, settings::get);
        CertificateAuthorities authorities = CertificateAuthorities.load(configDir.resolve("partners.yaml"));
        OutboundFilter filter = OutboundFilter.load(configDir);
        this.layout = SharedFileLayout.load(schemas.resolve("departmental-shared-file-v1.yaml"), territory);
        this.pki = Pki.openOrCreate(dataDir.resolve("pki"));
        PartnerCertificates certificates = PartnerCertificates.load(partners, authorities, dataDir, pki,
                settings.flag("gateway.pki.generate-demo"));
        this.database = JournalDatabase.open(settings);
        Clock clock = Clock.systemUTC();
        this.store = new RegistryStore(database.dataSource());
        this.sharedFileImport = new SharedFileImport(layout, store, partners, certificates, territory, filter,
                new Journal(database.dataSource(), clock), new AuditTrail(database.dataSource(), clock), dataDir, clock,
                settings.intValue("gateway.registry.chunk-records"));
    }

    public static RegistryJobs open(GatewaySettings settings) {
        return new RegistryJobs(settings);
    }

    public SharedFileImport sharedFileImport() { return sharedFileImport; }
    public SharedFileLayout layout() { return layout; }
    public Territory territory() { return territory; }
    public Pki pki() { return pki; }
    public RegistryStore store() { return store; }

    @Override
    public void close() {
        database.close();
    }
}
