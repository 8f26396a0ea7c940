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
            return pki;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the key store in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open the key store in " + dir + ": " + e.getMessage(), e);
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
