package fr.logement.gateway.registry;

import fr.logement.gateway.pki.KeyMaterial;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableFile;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Detached CMS (PKCS#7) signatures of batch files, with Bouncy Castle: a file is accepted only if it carries exactly
 * one signature, by the sender's registered certificate, with SHA-256 (or stronger) and RSA or ECDSA. The file is
 * streamed, never held in memory; the SHA-256 the signature covers identifies the file.
 */
public final class CmsFileSignature {
    /** SHA-256, SHA-384, SHA-512. */
    static final Set<String> DIGESTS = Set.of("2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3");
    static final String SHA256 = "2.16.840.1.101.3.4.2.1";

    private CmsFileSignature() {}

    /** Why a file's signature was refused. */
    public static final class Refused extends Exception {
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Verifies {@code signature} over {@code file}; returns the file's SHA-256 ("sha256:hex"). */
    public static String verify(Path file, Path signature, X509Certificate registered) throws Refused {
        if (!Files.isRegularFile(signature)) throw new Refused("no signature file " + signature.getFileName());
        try (InputStream content = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] sig = Files.readAllBytes(signature);
            CMSSignedDataParser parser = new CMSSignedDataParser(new JcaDigestCalculatorProviderBuilder().build(),
                    new CMSTypedStream(content), sig);
            parser.getSignedContent().drain();
            Collection<SignerInformation> signers = parser.getSignerInfos().getSigners();
            if (signers.size() != 1) throw new Refused("expected exactly one signature, found " + signers.size());
            SignerInformation si = signers.iterator().next();
            if (!DIGESTS.contains(si.getDigestAlgOID())) throw new Refused("digest algorithm not allowed");
            boolean ok;
            try {
                ok = si.verify(new JcaSimpleSignerInfoVerifierBuilder().build(registered));
            } catch (CMSException e) {
                ok = false;
            }
            if (!ok) throw new Refused("not signed by the sender's registered certificate");
            byte[] digest = si.getContentDigest();
            if (!SHA256.equals(si.getDigestAlgOID())) digest = sha256(file);
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (Refused r) {
            throw r;
        } catch (CMSException | OperatorCreationException | IOException | RuntimeException e) {
            throw new Refused("the signature cannot be read as detached CMS");
        }
    }

    /** Signs {@code file} (streamed) with {@code key}: a detached CMS SignedData, DER, certificate included. */
    public static byte[] sign(Path file, KeyMaterial key) {
        try {
            String alg = "EC".equals(key.privateKey().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder(alg).build(key.privateKey()), key.certificate()));
            gen.addCertificates(new JcaCertStore(List.of(key.certificate())));
            CMSSignedData signed = gen.generate(new CMSProcessableFile(file.toFile()), false);
            return signed.getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    static byte[] sha256(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
