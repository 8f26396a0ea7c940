package fr.logement.gateway;

import fr.logement.gateway.broker.Broker;
import fr.logement.gateway.config.GatewaySettings;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.allocation.AllocationEventIntake;
import fr.logement.gateway.allocation.AlsEventPush;
import fr.logement.gateway.allocation.AllocationEventRules;
import fr.logement.gateway.allocation.AllocationEventStore;
import fr.logement.gateway.allocation.soap.AllocationEventSoapEndpoint;
import fr.logement.gateway.config.CertificateAuthorities;
import fr.logement.gateway.config.PartnerDirectory;
import fr.logement.gateway.registry.RegistryStore;
import fr.logement.gateway.registry.SharedFileImport;
import fr.logement.gateway.registry.SharedFileInbox;
import fr.logement.gateway.registry.SharedFileLayout;
import fr.logement.gateway.registry.sne.SneClient;
import fr.logement.gateway.registry.sne.SneSync;
import fr.logement.gateway.registry.syplo.SyploExchange;
import fr.logement.gateway.dataprotection.RetentionPurge;
import fr.logement.gateway.dataprotection.SubjectExport;
import fr.logement.gateway.operator.DeadLetters;
import fr.logement.gateway.employer.EmployeeChoices;
import fr.logement.gateway.employer.EmployeeRequestViews;
import fr.logement.gateway.employer.EmployerReports;
import fr.logement.gateway.employer.EmployerValidations;
import fr.logement.gateway.operator.OperatorToken;
import fr.logement.gateway.jose.DetachedJws;
import fr.logement.gateway.retention.RetentionPolicy;
import fr.logement.gateway.config.Territory;
import fr.logement.gateway.delivery.DesignationSender;
import fr.logement.gateway.delivery.rest.RestDesignationSender;
import fr.logement.gateway.delivery.soap.SoapDesignationSender;

import fr.logement.gateway.designation.AlsNotifier;
import fr.logement.gateway.designation.DesignationDelivery;
import fr.logement.gateway.designation.DesignationIntake;
import fr.logement.gateway.designation.DesignationRegistry;
import fr.logement.gateway.designation.DesignationStatusQuery;
import fr.logement.gateway.documents.DocumentStore;
import fr.logement.gateway.http.Health;
import fr.logement.gateway.http.HttpResponses;
import fr.logement.gateway.http.PublishedContracts;
import fr.logement.gateway.http.ServerTls;
import fr.logement.gateway.ingress.PartnerAuthorisation;
import fr.logement.gateway.ingress.RequestSignature;
import fr.logement.gateway.ingress.TlsClientAuthenticator;
import fr.logement.gateway.ingress.designation.DesignationValidator;
import fr.logement.gateway.ingress.designation.DocumentExtractor;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.Journal;
import fr.logement.gateway.journal.JournalDatabase;
import fr.logement.gateway.metrics.GatewayMetrics;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.PartnerCertificates;
import fr.logement.gateway.pki.Pki;
import fr.logement.gateway.policy.OutboundFilter;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.springframework.jms.connection.CachingConnectionFactory;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * Assembles and runs one gateway instance: configuration, keys, journal database, broker, and Camel Main with the
 * routes of routes/*.yaml and the named beans they call. Used by the {@code run} and {@code demo} commands and by
 * the end-to-end tests alike.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Gateway.class);

    private final GatewaySettings settings;
    private final Path dataDir;
    private final Pki pki;
    private final PartnerDirectory partners;
    private final RetentionPolicy retention;
    private final PartnerCertificates certificates;
    private final JournalDatabase database;
    private final Journal journal;
    private final AuditTrail audit;
    private final DesignationRegistry designations;
    private final AllocationEventStore allocationEvents;
    private final RegistryStore registry;
    private final SharedFileImport sharedFileImport;
    private final SneClient sneClient;
    private final SneSync sneSync;
    private final SyploExchange syplo;
    private final EmployeeChoices employeeChoices;
    private final DocumentStore documents;
    private final Broker broker;
    private final GatewayMetrics metrics;
    private final Main main;
    private final AllocationEventSoapEndpoint soapEndpoint;
    private final fr.logement.gateway.cluster.SingletonJobs jobs;

    private Gateway(GatewaySettings settings) throws Exception {
        this.settings = settings;
        Clock clock = Clock.systemUTC();
        Path configDir = settings.configDir();
        this.dataDir = settings.dataDir();
        Path schemasDir = Path.of(settings.get("gateway.schemas-dir", "schemas"));
        Path routesDir = Path.of(settings.get("gateway.routes-dir", "routes")).toAbsolutePath();

        // 1. Configuration: a wrong entry stops start-up here, before anything listens.
        Territory territory = Territory.load(configDir.resolve("reference"));
        this.partners = PartnerDirectory.load(configDir.resolve("partners.yaml"), territory, settings::get);
        OutboundFilter filter = OutboundFilter.load(configDir);
        this.retention = RetentionPolicy.load(configDir.resolve("retention.yaml"));
        CertificateAuthorities authorities = CertificateAuthorities.load(configDir.resolve("partners.yaml"));

        // 2. Keys: the demo PKI is generated on first start, never committed.
        this.pki = Pki.openOrCreate(dataDir.resolve("pki"));
        this.certificates = PartnerCertificates.load(partners, authorities, dataDir, pki, settings.flag("gateway.pki.generate-demo"));
        KeyMaterial gatewayKey = pki.ensure(Pki.GATEWAY);
        SSLContext tls = pki.tlsContext(gatewayKey);

        // 3. Storage: journal database (migrated), documents, broker.
        this.database = JournalDatabase.open(settings);
        this.journal = new Journal(database.dataSource(), clock);
        this.audit = new AuditTrail(database.dataSource(), clock);
        this.designations = new DesignationRegistry(database.dataSource(), clock);
        this.documents = new DocumentStore(dataDir.resolve("documents"));
        this.broker = Broker.start(settings);
        this.jobs = new fr.logement.gateway.cluster.SingletonJobs(database.dataSource(), instanceId(settings),
                settings.intValue("gateway.jobs.lease-seconds"));
        this.metrics = new GatewayMetrics();
        metrics.bindQueues(broker);

        // 4. The beans the routes call, by the names the routes use.
        Map<Partner.Protocol, DesignationSender> senders = new EnumMap<>(Partner.Protocol.class);
        senders.put(Partner.Protocol.soap, new SoapDesignationSender(gatewayKey, tls, dataDir));
        senders.put(Partner.Protocol.rest, new RestDesignationSender(gatewayKey, tls, dataDir));
        DesignationDelivery delivery = new DesignationDelivery(designations, partners, filter, senders, documents,
                journal, audit, metrics, clock, settings.intValue("gateway.delivery.max-attempts"),
                new AlsNotifier(broker.connectionFactory()))
                .waitingTime(settings.longValue("gateway.delivery.redelivery-delay-ms"));

        this.main = new Main();
        main.configure().withRoutesIncludePattern("file:" + routesDir + "/*.yaml");
        Properties props = new Properties();
        props.putAll(settings.asMap());
        Partner alsPartner = partners.all().stream().filter(p -> p.is(Partner.PartnerKind.als)).findFirst().orElse(null);
        boolean pushToAls = alsPartner != null && alsPartner.endpoint() != null;
        props.put("gateway.als.push-events", Boolean.toString(pushToAls));
        main.setOverrideProperties(props);
        main.bind("serverTls", new ServerTls(tls));
        main.bind("jms", jms(broker));
        main.bind("httpResponses", new HttpResponses(audit, metrics));
        main.bind("tlsClientAuthenticator", new TlsClientAuthenticator(certificates, partners));
        main.bind("requestSignature", new RequestSignature(certificates, clock,
                settings.longValue("gateway.signature.max-age-seconds")));
        main.bind("partnerAuthorisation", new PartnerAuthorisation(partners));
        main.bind("bodyLimit", new fr.logement.gateway.ingress.BodyLimit());
        main.bind("designationIntake", new DesignationIntake(
                new DesignationValidator(schemasDir, partners, territory, clock,
                        settings.longValue("gateway.designation.max-document-bytes"),
                        settings.longValue("gateway.designation.max-documents-bytes")),
                new DocumentExtractor(documents), filter, designations, journal, audit, metrics));
        main.bind("designationDelivery", delivery);
        this.registry = new RegistryStore(database.dataSource());
        this.sharedFileImport = new SharedFileImport(
                SharedFileLayout.load(schemasDir.resolve("departmental-shared-file-v1.yaml"), territory), registry,
                partners, certificates, territory, filter, journal, audit, dataDir, clock,
                settings.intValue("gateway.registry.chunk-records"));
        main.bind("sharedFileInbox", new SharedFileInbox(dataDir, sharedFileImport));
        Partner snePartner = partners.all().stream().filter(p -> p.is(Partner.PartnerKind.sne)).findFirst()
                .orElseThrow(() -> new fr.logement.gateway.config.ConfigurationException("partners.yaml", "partners",
                        "the SNE (kind sne) must be listed, with its endpoint"));
        this.sneClient = new SneClient(snePartner.endpoint(), tls, settings.intValue("gateway.sne.connect-timeout-ms"),
                settings.intValue("gateway.sne.receive-timeout-ms"));
        this.sneSync = new SneSync(sneClient.port(), registry, database.dataSource(), filter, journal, audit, dataDir,
                clock, java.time.LocalDate.parse(settings.get("gateway.sne.initial-since", "2020-01-01")));
        main.bind("sneSync", sneSync);
        this.syplo = new SyploExchange(schemasDir, territory, partners, certificates, database.dataSource(), filter,
                journal, audit, gatewayKey, dataDir, clock);
        main.bind("alsEventPush", new AlsEventPush(alsPartner, tls, new DetachedJws(gatewayKey), journal, metrics));
        this.allocationEvents = new AllocationEventStore(database.dataSource()).committingWith(database.groupCommit());
        main.bind("allocationEventIntake", new AllocationEventIntake(
                new AllocationEventRules(schemasDir, designations, allocationEvents, territory), allocationEvents,
                partners, filter, journal, audit, metrics, new DetachedJws(gatewayKey), clock));
        main.bind("designationStatusQuery", new DesignationStatusQuery(designations, journal, audit, allocationEvents));
        main.bind("publishedContracts", new PublishedContracts(schemasDir));
        main.bind("operatorToken", OperatorToken.openOrCreate(dataDir));
        main.bind("subjectExport", new SubjectExport(database.dataSource(), journal, audit, clock));
        main.bind("retentionPurge", new RetentionPurge(database.dataSource(), retention, audit, dataDir, clock)
                .withBroker(broker.connectionFactory()));
        this.employeeChoices = new EmployeeChoices(schemasDir, database.dataSource(), audit, clock);
        main.bind("employeeChoices", employeeChoices);
        EmployeeRequestViews requestViews = new EmployeeRequestViews(database.dataSource(), partners, employeeChoices,
                filter, new DetachedJws(gatewayKey), journal, audit, clock);
        employeeChoices.keepingViewsIn(requestViews);
        main.bind("employeeRequestViews", requestViews);
        main.bind("employerValidations", new EmployerValidations(schemasDir, database.dataSource(), partners,
                employeeChoices, filter, journal, audit, new DetachedJws(gatewayKey), clock));
        main.bind("employerReports", new EmployerReports(database.dataSource(), partners, employeeChoices,
                new DetachedJws(gatewayKey), journal, audit, clock, settings.intValue("gateway.employer.count-threshold"))
                .withPeriodMonths(settings.intValue("gateway.employer.report-months")).pushingWith(tls));
        main.bind("deadLetters", new DeadLetters(broker.connectionFactory(), designations, audit));
        main.bind("health", new Health(database.dataSource(), broker, metrics));
        main.bind("singletonJobs", jobs);
        main.start();
        this.soapEndpoint = AllocationEventSoapEndpoint.start(settings.get("gateway.soap.host", "0.0.0.0"),
                settings.intValue("gateway.soap.port"), schemasDir, gatewayKey, pki.caCertificate(), certificates,
                main.getCamelContext(), audit, metrics, settings.intValue("gateway.signature.max-age-seconds"),
                settings.longValue("gateway.event.max-body-bytes"));
        LOG.info("gateway started: HTTPS on port {} (REST) and {} (SOAP), data in {}, broker {}, {} routes", restPort(),
                settings.intValue("gateway.soap.port"), dataDir,
                broker.isEmbedded() ? "embedded" : "external", main.getCamelContext().getRoutes().size());
    }

    /** This instance's name among several sharing a database: gateway.instance-id, or host, process and a nonce. */
    private static String instanceId(GatewaySettings settings) {
        String configured = settings.get("gateway.instance-id", "");
        if (!configured.isBlank()) return configured;
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** Starts a gateway; throws {@link fr.logement.gateway.config.ConfigurationException} on a wrong configuration. */
    public static Gateway start(GatewaySettings settings) throws Exception {
        return new Gateway(settings);
    }

    private static JmsComponent jms(Broker broker) {
        CachingConnectionFactory cached = new CachingConnectionFactory(broker.connectionFactory());
        cached.setSessionCacheSize(10);
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(cached);
        jms.setDeliveryPersistent(true);
        return jms;
    }

    public int restPort() {
        return settings.intValue("gateway.rest.port");
    }

    public int managementPort() {
        return settings.intValue("gateway.management.port");
    }

    public GatewaySettings settings() { return settings; }
    public Path dataDir() { return dataDir; }
    public Pki pki() { return pki; }
    public PartnerDirectory partners() { return partners; }
    public RetentionPolicy retention() { return retention; }
    public PartnerCertificates certificates() { return certificates; }
    public Journal journal() { return journal; }
    public JournalDatabase database() { return database; }
    public AuditTrail audit() { return audit; }
    public DesignationRegistry designations() { return designations; }
    public AllocationEventStore allocationEvents() { return allocationEvents; }
    public RegistryStore registry() { return registry; }
    public SharedFileImport sharedFileImport() { return sharedFileImport; }
    public SneSync sneSync() { return sneSync; }
    public SyploExchange syplo() { return syplo; }
    public EmployeeChoices employeeChoices() { return employeeChoices; }
    public fr.logement.gateway.dataprotection.Erasure erasure() {
        return new fr.logement.gateway.dataprotection.Erasure(database.dataSource(), audit, dataDir);
    }
    public SubjectExport subjectExport() { return new SubjectExport(database.dataSource(), journal, audit, Clock.systemUTC()); }
    public DocumentStore documents() { return documents; }
    public Broker broker() { return broker; }
    public fr.logement.gateway.cluster.SingletonJobs jobs() { return jobs; }
    public GatewayMetrics metrics() { return metrics; }
    public CamelContext camel() { return main.getCamelContext(); }

    @Override
    public void close() {
        try {
            soapEndpoint.close();
        } catch (RuntimeException e) {
            LOG.warn("the SOAP endpoint did not stop cleanly: {}", e.getClass().getName());
        }
        try {
            main.stop();
        } catch (Exception e) {
            LOG.warn("routes did not stop cleanly: {}", e.getClass().getName());
        }
        sneClient.close();
        jobs.close();
        broker.close();
        database.close();
        LOG.info("gateway stopped");
    }
}
