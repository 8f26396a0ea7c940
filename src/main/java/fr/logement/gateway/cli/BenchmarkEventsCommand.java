package fr.logement.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.logement.gateway.Gateway;
import fr.logement.gateway.allocation.soap.AllocationEventSoapEndpoint;
import fr.logement.gateway.config.GatewaySettings;
import fr.logement.gateway.demo.AlsDemoClient;
import fr.logement.gateway.demo.SyntheticDesignations;
import fr.logement.gateway.landlordsim.LandlordSoapClient;
import fr.logement.gateway.landlordsim.RestLandlordSimulator;
import fr.logement.gateway.landlordsim.SoapLandlordSimulator;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import org.apache.camel.builder.RouteBuilder;
import org.apache.wss4j.common.crypto.Merlin;
import org.apache.wss4j.dom.engine.WSSConfig;
import org.apache.wss4j.dom.engine.WSSecurityEngine;
import org.apache.wss4j.dom.handler.RequestData;
import org.w3c.dom.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmarks the exchange flows (not a test), each beside its floor measured in the same run on the same machine:
 * signed REST allocation events (durable before the answer) beside an unsigned, non-durable echo over the same TLS
 * stack and beside the broker's own durable send rate; signed SOAP allocation events beside WSS4J's bare
 * verify+sign; designations with 3 candidates and about 2 MB of documents delivered to the simulated landlords.
 * Prints a table.
 */
@Command(name = "benchmark-events", mixinStandardHelpOptions = true,
        description = "Measure signed REST and SOAP allocation events (events/s, p50/p99) beside their floors (echo, "
                + "durable broker send, WSS4J verify+sign), and designations with 2 MB of documents (designations/s, "
                + "MB/s); prints a table.")
final class BenchmarkEventsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

    @Option(names = "--clients", defaultValue = "16", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--events", defaultValue = "10000", description = "Events per measurement (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--designations", defaultValue = "40",
            description = "Designations with ~2 MB of documents (default: ${DEFAULT-VALUE}).")
    int designations;

    /** One line of the table; {@code cpuMs} is the CPU time of the whole process (gateway, broker and clients) per unit. */
    record Row(String what, int count, double seconds, double p50ms, double p99ms, double cpuMs, String note) {
        double perSecond() {
            return count / seconds;
        }
    }

    /** CPU time used so far by every thread of this process. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> s = new LinkedHashMap<>(options.settings());
        if (options.dataDir == null) {
            s.put("gateway.data-dir", Path.of("data", "benchmarks", "events-" + Instant.now().getEpochSecond()).toString());
        }
        s.put("gateway.rest.host", "127.0.0.1");
        s.put("gateway.soap.host", "127.0.0.1");
        for (String port : List.of("gateway.rest.port", "gateway.soap.port", "gateway.management.port", "sim.rest.port",
                "sim.soap.port", "sim.sne.port")) {
            s.putIfAbsent(port, Integer.toString(freePort()));
        }
        GatewaySettings settings = GatewaySettings.load(options.configDir, s);
        System.setProperty("gateway.log.dir", settings.dataDir().resolve("logs").toString());
        List<Row> rows = new ArrayList<>();
        try (Gateway gateway = Gateway.start(settings)) {
            Pki pki = gateway.pki();
            KeyMaterial gatewayKey = pki.ensure(Pki.GATEWAY);
            KeyMaterial restKey = pki.ensure("bailleur-rest-demo");
            KeyMaterial soapKey = pki.ensure("bailleur-soap-demo");
            int echoPort = freePort();
            gateway.camel().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("netty-http:https://127.0.0.1:" + echoPort + "/echo?ssl=true&needClientAuth=true"
                            + "&sslContextParameters=#serverTls").routeId("benchmark-echo")
                            .setHeader("Content-Type", constant("application/json"));
                }
            });
            AlsDemoClient restLandlord = new AlsDemoClient(URI.create("https://localhost:" + gateway.restPort() + "/"),
                    restKey, pki);
            AlsDemoClient echo = new AlsDemoClient(URI.create("https://localhost:" + echoPort + "/"), restKey, pki);
            LandlordSoapClient soapLandlord = new LandlordSoapClient(URI.create("https://localhost:"
                    + settings.intValue("gateway.soap.port") + AllocationEventSoapEndpoint.PATH),
                    soapKey.privateKey(), soapKey.certificate(), pki.caCertificate());

            System.out.printf("preparing %d signed REST events and %d signed SOAP envelopes...%n", events, events);
            List<byte[]> restBodies = new ArrayList<>();
            List<String> restSignatures = new ArrayList<>();
            List<String> soapEnvelopes = new ArrayList<>();
            for (int i = 0; i < events + warmUp(); i++) {
                byte[] body = JSON.writeValueAsBytes(outside("94028", i));
                restBodies.add(body);
                restSignatures.add(restLandlord.signature(body));
                soapEnvelopes.add(LandlordSoapClient.xml(LandlordSoapClient.sign(LandlordSoapClient.envelope(
                        outsideFields("92050", i)), LandlordSoapClient.Signing.by(soapKey.privateKey(), soapKey.certificate()))));
            }

            // Warm-up (JIT, connections), not measured.
            measure("warm-up", clients, warmUp(), i -> restLandlord.postSigned("api/v1/allocation-events",
                    restBodies.get(events + i), restSignatures.get(events + i)).statusCode() == 200, null);
            measure("warm-up", clients, warmUp(), i -> soapLandlord.post(soapEnvelopes.get(events + i)).statusCode() == 200, null);

            settle(gateway);
            Row rest = measure("signed REST events (JWS, durable, receipted)", clients, events,
                    i -> restLandlord.postSigned("api/v1/allocation-events", restBodies.get(i), restSignatures.get(i))
                            .statusCode() == 200, "aim >= 2,000/s");
            settle(gateway);
            Row echoRow = measure("  floor: unsigned echo, same TLS, not durable", clients, events,
                    i -> echo.postUnsigned("echo", restBodies.get(i)).statusCode() == 200, null);
            settle(gateway);
            Row brokerRow = brokerFloor(gateway, restBodies);
            rows.add(rest);
            rows.add(echoRow);
            rows.add(brokerRow);

            settle(gateway);
            Row soap = measure("signed SOAP events (WS-Security, durable)", clients, events,
                    i -> soapLandlord.post(soapEnvelopes.get(i)).statusCode() == 200, null);
            settle(gateway);
            Row wss4j = wss4jFloor(soapEnvelopes, gatewayKey, pki);
            rows.add(new Row(soap.what(), soap.count(), soap.seconds(), soap.p50ms(), soap.p99ms(), soap.cpuMs(),
                    String.format("%.0f%% of WSS4J floor (aim >= 50%%)", 100 * soap.perSecond() / wss4j.perSecond())));
            rows.add(wss4j);

            settle(gateway);
            rows.add(designations(gateway, pki, gatewayKey, settings));
        }
        print(rows);
        return 0;
    }

    /**
     * Waits until the gateway has delivered what earlier phases left in its queues (at most a minute), so that each
     * measurement, floors included, runs on an otherwise idle machine.
     */
    private static void settle(Gateway gateway) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        int quiet = 0;
        while (quiet < 5 && System.nanoTime() < deadline) {
            quiet = gateway.broker().isIdle() ? quiet + 1 : 0;
            Thread.sleep(100);
        }
    }

    private int warmUp() {
        return Math.max(200, events / 5);   // the JIT is still at work after a few thousand events
    }

    /** The broker's own rate: persistent JMS sends of the same bodies, one session per client, no gateway code. */
    private Row brokerFloor(Gateway gateway, List<byte[]> bodies) throws Exception {
        ThreadLocal<Object[]> sessions = new ThreadLocal<>();
        List<jakarta.jms.Connection> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            return measure("  floor: broker durable send", clients, events, i -> {
                Object[] sp = sessions.get();
                if (sp == null) {
                    jakarta.jms.Connection c = gateway.broker().connectionFactory().createConnection();
                    opened.add(c);
                    jakarta.jms.Session session = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
                    jakarta.jms.MessageProducer producer = session.createProducer(session.createQueue("benchmark.durable"));
                    producer.setDeliveryMode(jakarta.jms.DeliveryMode.PERSISTENT);
                    sp = new Object[]{session, producer};
                    sessions.set(sp);
                }
                jakarta.jms.BytesMessage m = ((jakarta.jms.Session) sp[0]).createBytesMessage();
                m.writeBytes(bodies.get(i));
                ((jakarta.jms.MessageProducer) sp[1]).send(m);
                return true;
            }, null);
        } finally {
            for (jakarta.jms.Connection c : opened) c.close();
        }
    }

    /** WSS4J alone: parse a signed envelope, verify it against the CA, sign a receipt envelope, serialise it. */
    private Row wss4jFloor(List<String> envelopes, KeyMaterial gatewayKey, Pki pki) throws Exception {
        WSSConfig.init();
        Merlin trust = new Merlin();
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", pki.caCertificate());
        trust.setTrustStore(ts);
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setNamespaceAware(true);
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Map<String, String> receipt = Map.of("messageId", "receipt", "type", "receipt", "eventDate", LocalDate.now().toString());
        Merlin signing = LandlordSoapClient.crypto(gatewayKey.privateKey(), gatewayKey.certificate());
        return measure("  floor: WSS4J verify + sign", clients, events, i -> {
            Document doc = dbf.newDocumentBuilder().parse(new ByteArrayInputStream(
                    envelopes.get(i).getBytes(StandardCharsets.UTF_8)));
            RequestData rd = new RequestData();
            rd.setSigVerCrypto(trust);
            rd.setWssConfig(WSSConfig.getNewInstance());
            new WSSecurityEngine().processSecurityHeader(doc, rd);
            String signed = LandlordSoapClient.xml(LandlordSoapClient.sign(LandlordSoapClient.envelope(receipt),
                    LandlordSoapClient.Signing.by(gatewayKey.privateKey(), gatewayKey.certificate()), signing));
            return !signed.isEmpty();
        }, null);
    }

    /** Designations with 3 candidates and ~2 MB of documents, half to each simulated landlord, until all receipted. */
    private Row designations(Gateway gateway, Pki pki, KeyMaterial gatewayKey, GatewaySettings settings) throws Exception {
        try (RestLandlordSimulator rest = new RestLandlordSimulator(settings.intValue("sim.rest.port"),
                pki.ensure("bailleur-rest-demo"), gatewayKey.certificate(), pki.caCertificate()).start();
             SoapLandlordSimulator soap = new SoapLandlordSimulator(settings.intValue("sim.soap.port"),
                     pki.ensure("bailleur-soap-demo"), gatewayKey.certificate(), pki.caCertificate()).start()) {
            AlsDemoClient als = new AlsDemoClient(URI.create("https://localhost:" + gateway.restPort() + "/"),
                    pki.ensure("als"), pki);
            SyntheticDesignations gen = new SyntheticDesignations(7);
            Random random = new Random(7);
            List<byte[]> bodies = new ArrayList<>();
            long documentBytes = 0;
            for (int i = 0; i < designations; i++) {
                boolean toRest = i % 2 == 0;
                ObjectNode d = gen.designation("BENCH-" + UUID.randomUUID(), toRest ? "bailleur-rest-demo" : "bailleur-soap-demo",
                        String.format("%s%08d", toRest ? "94" : "92", i), toRest ? "94028" : "92050",
                        Instant.now().plus(Duration.ofDays(5)), 3);
                int rank = 0;
                for (var c : d.withArray("candidates")) {
                    rank++;
                    byte[] content = Arrays.copyOf(SyntheticDesignations.pdf("benchmark"), 700_000);
                    byte[] filler = new byte[content.length - 200];
                    random.nextBytes(filler);
                    System.arraycopy(filler, 0, content, 200, filler.length);
                    ((ArrayNode) c.path("documents")).removeAll().add(SyntheticDesignations.document(
                            "scan" + rank, "identity", "application/pdf", "scan.pdf", content));
                    documentBytes += content.length;
                }
                bodies.add(JSON.writeValueAsBytes(d));
            }
            long t0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Boolean>> sent = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                sent.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < bodies.size(); ) {
                        var r = als.post("api/v1/designations", bodies.get(i));
                        if (r.statusCode() != 202) {
                            throw new IllegalStateException("a designation was refused: " + r.statusCode() + " " + r.body());
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : sent) {
                f.get();
            }
            pool.shutdown();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (rest.received().size() + soap.received().size() < designations && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            int done = rest.received().size() + soap.received().size();
            return new Row("designations, 3 candidates, ~2 MB documents", done, seconds, Double.NaN, Double.NaN,
                    (processCpuNanos() - cpu0) / 1e6 / Math.max(1, done),
                    String.format("%.1f MB/s of documents, submitted to receipted", documentBytes / 1e6 / seconds));
        }
    }

    /** Runs {@code count} units of work on {@code threads} threads; latency per unit, throughput over the whole. */
    private static Row measure(String what, int threads, int count, IndexedWork work, String note) throws Exception {
        System.out.printf("measuring %s...%n", what.strip());
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    long s = System.nanoTime();
                    boolean ok;
                    try {
                        ok = work.run(i);
                    } catch (Exception e) {
                        ok = false;
                    }
                    latencies[i] = System.nanoTime() - s;
                    if (!ok) failed.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : running) f.get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuMs = (processCpuNanos() - cpu0) / 1e6 / count;
        pool.shutdown();
        if (failed.get() > 0) throw new IllegalStateException(what + ": " + failed.get() + " of " + count + " failed");
        Arrays.sort(latencies);
        return new Row(what, count, seconds, latencies[count / 2] / 1e6, latencies[(int) (count * 0.99)] / 1e6, cpuMs, note);
    }

    /** A unit of work given its index. */
    interface IndexedWork {
        boolean run(int i) throws Exception;
    }

    private static void print(List<Row> rows) {
        System.out.println();
        System.out.printf("| %-46s | %6s | %8s | %10s | %8s | %8s | %8s | %-40s |%n", "measurement", "count", "seconds",
                "per second", "p50 ms", "p99 ms", "CPU ms", "note");
        System.out.printf("|%s|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(48), "-".repeat(8), "-".repeat(10), "-".repeat(12),
                "-".repeat(10), "-".repeat(10), "-".repeat(10), "-".repeat(42));
        for (Row r : rows) {
            System.out.printf("| %-46s | %6d | %8.2f | %10.1f | %8s | %8s | %8.2f | %-40s |%n", r.what(), r.count(),
                    r.seconds(), r.perSecond(), Double.isNaN(r.p50ms()) ? "" : String.format("%.1f", r.p50ms()),
                    Double.isNaN(r.p99ms()) ? "" : String.format("%.1f", r.p99ms()), r.cpuMs(),
                    r.note() == null ? "" : r.note());
        }
        System.out.println("CPU ms: CPU time of the whole process (gateway, embedded broker and the benchmark's own clients)"
                + " per unit; at 2,000 events/s, 2 cores leave 1.0 ms each.");
        System.out.printf("(%d cores, %s, max heap %d MB)%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static ObjectNode outside(String commune, int i) {
        ObjectNode e = JSON.createObjectNode();
        outsideFields(commune, i).forEach(e::put);
        return e;
    }

    private static Map<String, String> outsideFields(String commune, int i) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("messageId", "bench-" + UUID.randomUUID());
        e.put("type", "allocation_outside_designation");
        e.put("numeroUnique", String.format("%s%011d", commune.substring(0, 2), i));
        e.put("eventDate", LocalDate.now().toString());
        e.put("rplsId", String.format("%s%08d", commune.substring(0, 2), i % 1000));
        e.put("communeInsee", commune);
        return e;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
