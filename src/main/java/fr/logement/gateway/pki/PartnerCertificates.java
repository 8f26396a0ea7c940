package fr.logement.gateway.pki;

import fr.logement.gateway.config.ConfigurationException;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.config.PartnerDirectory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registered certificate of each partner: the only certificate trusted for that partner, over TLS and for
 * signatures alike. A certificate merely issued by a trusted CA identifies nobody.
 */
public final class PartnerCertificates {
    private final Map<String, X509Certificate> byPartner;

    private PartnerCertificates(Map<String, X509Certificate> byPartner) {
        this.byPartner = byPartner;
    }

    /**
     * Loads every partner's certificate. With {@code generateDemo}, a partner whose certificate file is missing gets
     * a demo key and certificate from the demo CA (written where partners.yaml says), so the demo runs out of the box.
     */
    public static PartnerCertificates load(PartnerDirectory partners, Path dataDir, Pki pki, boolean generateDemo) {
        Map<String, X509Certificate> map = new LinkedHashMap<>();
        for (Partner p : partners.all()) {
            Path file = resolve(dataDir, p.certificate());
            if (!Files.exists(file)) {
                if (!generateDemo) {
                    throw new ConfigurationException("partners.yaml", p.id() + ".certificate",
                            "file not found: " + file + " (set gateway.pki.generate-demo=true for demo keys)");
                }
                KeyMaterial km = pki.ensure(p.id());
                try {
                    Files.createDirectories(file.getParent());
                    Pki.writePem(file, km.certificate());
                } catch (java.io.IOException e) {
                    throw new ConfigurationException("partners.yaml", p.id() + ".certificate", "cannot write " + file);
                }
            }
            try {
                map.put(p.id(), Pki.readCertificate(file));
            } catch (RuntimeException e) {
                throw new ConfigurationException("partners.yaml", p.id() + ".certificate", "not a PEM certificate: " + file);
            }
        }
        return new PartnerCertificates(map);
    }

    public static Path resolve(Path dataDir, String certificate) {
        Path p = Path.of(certificate);
        return p.isAbsolute() ? p : dataDir.resolve(p);
    }

    public Optional<X509Certificate> of(String partnerId) {
        return Optional.ofNullable(byPartner.get(partnerId));
    }

    /** The partner whose registered certificate is exactly {@code presented}, if any. */
    public Optional<String> partnerOf(X509Certificate presented) {
        try {
            byte[] encoded = presented.getEncoded();
            for (var e : byPartner.entrySet()) {
                if (Arrays.equals(e.getValue().getEncoded(), encoded)) return Optional.of(e.getKey());
            }
        } catch (CertificateEncodingException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Why a presented certificate cannot be trusted now (outside its validity period), if it cannot. */
    public Optional<String> problemWith(X509Certificate certificate) {
        try {
            certificate.checkValidity();
        } catch (java.security.cert.CertificateExpiredException e) {
            return Optional.of("the certificate has expired");
        } catch (java.security.cert.CertificateNotYetValidException e) {
            return Optional.of("the certificate is not yet valid");
        }
        return Optional.empty();
    }

    public Collection<X509Certificate> all() {
        return byPartner.values();
    }
}
