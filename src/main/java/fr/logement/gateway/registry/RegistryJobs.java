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
    private final fr.logement.gateway.registry.sne.SneClient sneClient;
    private final fr.logement.gateway.registry.sne.SneSync sneSync;
    private final fr.logement.gateway.registry.syplo.SyploExchange syplo;

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
        Journal journal = new Journal(database.dataSource(), clock);
        AuditTrail audit = new AuditTrail(database.dataSource(), clock);
        this.sharedFileImport = new SharedFileImport(layout, store, partners, certificates, territory, filter,
                journal, audit, dataDir, clock, settings.intValue("gateway.registry.chunk-records"));
        var sne = partners.all().stream().filter(p -> p.is(fr.logement.gateway.config.Partner.PartnerKind.sne))
                .findFirst().orElseThrow(() -> new fr.logement.gateway.config.ConfigurationException("partners.yaml",
                        "partners", "the SNE (kind sne) must be listed, with its endpoint"));
        var gatewayKey = pki.ensure(Pki.GATEWAY);
        this.sneClient = new fr.logement.gateway.registry.sne.SneClient(sne.endpoint(), pki.tlsContext(gatewayKey),
                settings.intValue("gateway.sne.connect-timeout-ms"), settings.intValue("gateway.sne.receive-timeout-ms"));
        this.sneSync = new fr.logement.gateway.registry.sne.SneSync(sneClient.port(), store, database.dataSource(), filter,
                journal, audit, dataDir, clock, java.time.LocalDate.parse(settings.get("gateway.sne.initial-since", "2020-01-01")));
        this.syplo = new fr.logement.gateway.registry.syplo.SyploExchange(schemas, territory, partners, certificates,
                database.dataSource(), filter, journal, audit, gatewayKey, dataDir, clock);
    }

    public fr.logement.gateway.registry.sne.SneSync sneSync() { return sneSync; }
    public fr.logement.gateway.registry.syplo.SyploExchange syplo() { return syplo; }

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
        sneClient.close();
        database.close();
    }
}
