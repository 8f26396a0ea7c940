package fr.logement.gateway.pki;

import fr.logement.gateway.config.CertificateAuthorities;
import fr.logement.gateway.config.ConfigurationException;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.config.PartnerDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    private final List<LoadedAuthority> authorities;

    /** An authority's certificate and where its revocation list is; the list is re-read when the file changes. */
    private static final class LoadedAuthority {
        final String id;
        final X509Certificate certificate;
        final Path crlFile;
        private long crlModified = -1;
        private X509CRL crl;

        LoadedAuthority(String id, X509Certificate certificate, Path crlFile) {
            this.id = id;
            this.certificate = certificate;
            this.crlFile = crlFile;
        }

        boolean issued(X509Certificate c) {
            if (!c.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) return false;
            try {
                c.verify(certificate.getPublicKey());
                return true;
            } catch (GeneralSecurityException e) {
                return false;
            }
        }

        /** The current CRL, checked against the authority's key; null when it cannot be used. */
        synchronized X509CRL crl() {
            try {
                long modified = Files.getLastModifiedTime(crlFile).toMillis();
                if (modified != crlModified) {
                    X509CRL read = Pki.readCrl(crlFile);
                    read.verify(certificate.getPublicKey());
                    crl = read;
                    crlModified = modified;
                }
                return crl;
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                crl = null;
                crlModified = -1;
                return null;
            }
        }
    }

    private PartnerCertificates(Map<String, X509Certificate> byPartner, List<LoadedAuthority> authorities) {
        this.byPartner = byPartner;
        this.authorities = authorities;
    }

    /**
     * Loads every partner's certificate. With {@code generateDemo}, a partner whose certificate file is missing gets
     * a demo key and certificate from the demo CA (written where partners.yaml says), so the demo runs out of the box.
     */
    public static PartnerCertificates load(PartnerDirectory partners, CertificateAuthorities authorities, Path dataDir,
                                           Pki pki, boolean generateDemo) {
        List<LoadedAuthority> loaded = new ArrayList<>();
        int index = 0;
        for (CertificateAuthorities.Authority a : authorities.all()) {
            String entry = "authorities[" + index++ + "] (" + a.id() + ")";
            Path cert = resolve(dataDir, a.certificate());
            Path crl = resolve(dataDir, a.crl());
            X509Certificate ca;
            try {
                ca = Pki.readCertificate(cert);
            } catch (RuntimeException e) {
                throw new ConfigurationException("partners.yaml", entry + ".certificate", "not a PEM certificate: " + cert);
            }
            LoadedAuthority la = new LoadedAuthority(a.id(), ca, crl);
            if (la.crl() == null) {
                throw new ConfigurationException("partners.yaml", entry + ".crl",
                        "no readable revocation list signed by this authority at " + crl);
            }
            loaded.add(la);
        }
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
            X509Certificate c;
            try {
                c = Pki.readCertificate(file);
            } catch (RuntimeException e) {
                throw new ConfigurationException("partners.yaml", p.id() + ".certificate", "not a PEM certificate: " + file);
            }
            if (loaded.stream().noneMatch(a -> a.issued(c))) {
                throw new ConfigurationException("partners.yaml", p.id() + ".certificate",
                        "issued by none of the configured authorities (list its CA under 'authorities')");
            }
            map.put(p.id(), c);
        }
        return new PartnerCertificates(map, List.copyOf(loaded));
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

    /**
     * Why a certificate cannot be trusted now, if it cannot: outside its validity dates, issued by no configured
     * authority, revoked by its authority's CRL, or that CRL unusable (unreadable, badly signed, out of date): a
     * revocation status that cannot be known is a refusal.
     */
    public Optional<String> problemWith(X509Certificate certificate) {
        try {
            certificate.checkValidity();
        } catch (java.security.cert.CertificateExpiredException e) {
            return Optional.of("the certificate has expired");
        } catch (java.security.cert.CertificateNotYetValidException e) {
            return Optional.of("the certificate is not yet valid");
        }
        Optional<LoadedAuthority> issuer = authorities.stream().filter(a -> a.issued(certificate)).findFirst();
        if (issuer.isEmpty()) return Optional.of("the certificate was issued by no configured authority");
        X509CRL crl = issuer.get().crl();
        if (crl == null) return Optional.of("the revocation list of " + issuer.get().id + " cannot be read or verified");
        if (crl.getNextUpdate() == null || crl.getNextUpdate().toInstant().isBefore(Instant.now())) {
            return Optional.of("the revocation list of " + issuer.get().id + " is out of date");
        }
        if (crl.isRevoked(certificate)) return Optional.of("the certificate has been revoked");
        return Optional.empty();
    }

    public Collection<X509Certificate> all() {
        return byPartner.values();
    }
}
