package fr.logement.gateway.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * The gateway's key store on disk (data/pki): the demo certification authority, the gateway's own key, and
 * for demo partners their keys, all generated with Bouncy Castle on first start and never committed.
 * <p>
 * Files: {@code ca.p12}, {@code ca.pem}, {@code <name>.p12} (private key and chain) and {@code <name>.pem}
 * (certificate) for the gateway and each demo partner; {@code store.password}, readable by the owner only.
 */
public final class Pki {
    public static final String GATEWAY = "gateway";
    private static final String CA = "ca";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final char[] password;
    private final KeyMaterial ca;

    private Pki(Path dir, char[] password, KeyMaterial ca) {
        this.dir = dir;
        this.password = password;
        this.ca = ca;
    }

    /** Opens the key store under {@code dir}, creating the CA and the gateway's key on first use. */
    public static synchronized Pki openOrCreate(Path dir) {
        try {
            Files.createDirectories(dir);
            Path pw = dir.resolve("store.password");
            if (!Files.exists(pw)) {
                byte[] b = new byte[24];
                RANDOM.nextBytes(b);
                Files.writeString(pw, Base64.getUrlEncoder().withoutPadding().encodeToString(b));
                restrict(pw);
            }
            char[] password = Files.readString(pw).trim().toCharArray();
            KeyMaterial ca;
            if (Files.exists(dir.resolve(CA + ".p12"))) {
                ca = readP12(dir.resolve(CA + ".p12"), password);
            } else {
                ca = createCa();
                writeP12(dir.resolve(CA + ".p12"), ca, password);
                writePem(dir.resolve(CA + ".pem"), ca.certificate());
            }
            Pki pki = new Pki(dir, password, ca);
            pki.ensure(GATEWAY);
            pki.refreshCrl();
            return pki;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the key store in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open the key store in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The demo CA's certificate revocation list (DER), reissued on start when missing or out of date. */
    public Path crlFile() {
        return dir.resolve(CA + ".crl");
    }

    /** Adds {@code certificate} to the demo CA's revocation list. */
    public synchronized void revoke(X509Certificate certificate) {
        java.util.Set<BigInteger> serials = new java.util.TreeSet<>(revokedSerials());
        serials.add(certificate.getSerialNumber());
        writeCrl(serials, Instant.now().plus(Duration.ofDays(30)));
    }

    /** Writes the revocation list again with the same entries and a given next update (tests make it stale). */
    public synchronized void reissueCrl(Instant nextUpdate) {
        writeCrl(revokedSerials(), nextUpdate);
    }

    private void refreshCrl() {
        Path f = crlFile();
        try {
            if (Files.exists(f)) {
                java.security.cert.X509CRL crl = readCrl(f);
                if (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isAfter(Instant.now().plus(Duration.ofDays(1)))) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            // unreadable: write a fresh one below
        }
        writeCrl(Files.exists(f) ? safeSerials() : java.util.Set.of(), Instant.now().plus(Duration.ofDays(30)));
    }

    private java.util.Set<BigInteger> safeSerials() {
        try {
            return revokedSerials();
        } catch (RuntimeException e) {
            return java.util.Set.of();
        }
    }

    private java.util.Set<BigInteger> revokedSerials() {
        java.util.Set<BigInteger> out = new java.util.TreeSet<>();
        if (!Files.exists(crlFile())) return out;
        var entries = readCrl(crlFile()).getRevokedCertificates();
        if (entries != null) entries.forEach(e -> out.add(e.getSerialNumber()));
        return out;
    }

    private void writeCrl(java.util.Set<BigInteger> serials, Instant nextUpdate) {
        try {
            Instant now = Instant.now();
            org.bouncycastle.cert.X509v2CRLBuilder b = new org.bouncycastle.cert.X509v2CRLBuilder(
                    X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                    java.util.Date.from(now.minus(Duration.ofMinutes(5))));
            b.setNextUpdate(java.util.Date.from(nextUpdate));
            for (BigInteger serial : serials) {
                b.addCRLEntry(serial, java.util.Date.from(now), org.bouncycastle.asn1.x509.CRLReason.keyCompromise);
            }
            ContentSigner signer = new JcaContentSignerBuilder(
                    "EC".equals(ca.privateKey().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA").build(ca.privateKey());
            byte[] der = b.build(signer).getEncoded();
            Path tmp = crlFile().resolveSibling(CA + ".crl.tmp");
            Files.write(tmp, der);
            Files.move(tmp, crlFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot write the revocation list: " + e.getMessage(), e);
        }
    }

    /** Reads a revocation list, DER or PEM. */
    public static java.security.cert.X509CRL readCrl(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return (java.security.cert.X509CRL) java.security.cert.CertificateFactory.getInstance("X.509").generateCRL(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a revocation list: " + file.getFileName(), e);
        }
    }

    /** Stores a key under {@code name} (so {@link #ensure(String)} returns it): tests register odd certificates. */
    public synchronized void store(String name, KeyMaterial km) {
        try {
            writeP12(dir.resolve(name + ".p12"), km, password);
            writePem(dir.resolve(name + ".pem"), km.certificate());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot store key " + name + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    /** The key of {@code name} (the gateway, or a demo partner), generated with an RSA key on first use. */
    public KeyMaterial ensure(String name) {
        return ensure(name, "RSA");
    }

    /** As {@link #ensure(String)}, with the key algorithm of a new key: RSA (2048) or EC (P-256). */
    public synchronized KeyMaterial ensure(String name, String keyAlgorithm) {
        Path p12 = dir.resolve(name + ".p12");
        try {
            if (Files.exists(p12)) return readP12(p12, password);
            Instant now = Instant.now();
            KeyMaterial km = issue(name, keyAlgorithm, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(730)));
            writeP12(p12, km, password);
            writePem(dir.resolve(name + ".pem"), km.certificate());
            return km;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write key " + name, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create key " + name + ": " + e.getMessage(), e);
        }
    }

    /** Issues a certificate signed by the demo CA without storing it (tests use this for expired certificates). */
    public KeyMaterial issue(String name, String keyAlgorithm, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        KeyPair kp = keyPair(keyAlgorithm);
        X509Certificate cert = certificate(new X500Name("CN=" + name + ",O=Housing gateway demo,C=FR"), kp,
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), ca.privateKey(),
                ca.certificate(), notBefore, notAfter, false);
        return new KeyMaterial(name, kp.getPrivate(), cert, List.of(cert, ca.certificate()));
    }

    /** Creates a self-signed certificate that no CA vouches for (tests use it as an impostor). */
    public static KeyMaterial selfSigned(String name) throws GeneralSecurityException {
        KeyPair kp = keyPair("RSA");
        X500Name subject = new X500Name("CN=" + name + ",O=Impostor,C=FR");
        Instant now = Instant.now();
        X509Certificate cert = certificate(subject, kp, subject, kp.getPrivate(), null,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), false);
        return new KeyMaterial(name, kp.getPrivate(), cert, List.of(cert));
    }

    /** Reads a partner's registered certificate (PEM), relative to the data directory unless absolute. */
    public static X509Certificate readCertificate(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read certificate " + pem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not a certificate: " + pem, e);
        }
    }

    /** A TLS context presenting {@code own} and trusting certificates issued by the demo CA. */
    public SSLContext tlsContext(KeyMaterial own) {
        return tlsContext(own, List.of(ca.certificate()));
    }

    public static SSLContext tlsContext(KeyMaterial own, List<X509Certificate> trusted) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = "transient".toCharArray();
            if (own != null) {
                ks.setKeyEntry(own.alias(), own.privateKey(), pw, own.chain().toArray(new X509Certificate[0]));
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            int i = 0;
            for (X509Certificate c : trusted) ts.setCertificateEntry("trusted-" + i++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), RANDOM);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build TLS context: " + e.getMessage(), e);
        }
    }

    private static KeyMaterial createCa() throws GeneralSecurityException {
        KeyPair kp = keyPair("RSA");
        X500Name subject = new X500Name("CN=Housing gateway demo CA,O=Housing gateway demo,C=FR");
        Instant now = Instant.now();
        X509Certificate cert = certificate(subject, kp, subject, kp.getPrivate(), null,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), true);
        return new KeyMaterial(CA, kp.getPrivate(), cert, List.of(cert));
    }

    private static KeyPair keyPair(String algorithm) throws GeneralSecurityException {
        if ("EC".equals(algorithm)) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(X500Name subject, KeyPair kp, X500Name issuer, PrivateKey issuerKey,
                                               X509Certificate issuerCert, Instant notBefore, Instant notAfter,
                                               boolean isCa) throws GeneralSecurityException {
        try {
            BigInteger serial = new BigInteger(64, RANDOM).abs().add(BigInteger.ONE);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore),
                    Date.from(notAfter), subject, kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            if (issuerCert != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerCert));
            }
            if (isCa) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.nonRepudiation));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            }
            String sigAlg = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            ContentSigner signer = new JcaContentSignerBuilder(sigAlg).build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (Exception e) {
            throw new GeneralSecurityException("certificate generation failed: " + e.getMessage(), e);
        }
    }

    private static KeyMaterial readP12(Path p12, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, password);
        }
        String alias = ks.aliases().nextElement();
        List<X509Certificate> chain = new ArrayList<>();
        for (var c : ks.getCertificateChain(alias)) chain.add((X509Certificate) c);
        return new KeyMaterial(alias, (PrivateKey) ks.getKey(alias, password), chain.get(0), List.copyOf(chain));
    }

    private static void writeP12(Path p12, KeyMaterial km, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(km.alias(), km.privateKey(), password, km.chain().toArray(new X509Certificate[0]));
        Path tmp = p12.resolveSibling(p12.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, password);
        }
        restrict(tmp);
        Files.move(tmp, p12, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static void writePem(Path pem, X509Certificate cert) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(cert);
        }
        Files.writeString(pem, w.toString(), StandardCharsets.US_ASCII);
    }

    private static void restrict(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: nothing more we can do
        }
    }
}
