package fr.logement.gateway.cli;

import fr.logement.gateway.config.CertificateAuthorities;
import fr.logement.gateway.config.GatewaySettings;
import fr.logement.gateway.config.Partner;
import fr.logement.gateway.config.PartnerDirectory;
import fr.logement.gateway.config.Territory;
import fr.logement.gateway.journal.AuditTrail;
import fr.logement.gateway.journal.JournalDatabase;
import fr.logement.gateway.pki.PartnerCertificates;
import fr.logement.gateway.pki.Pki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.Callable;

/** Replaces a partner's registered certificate after checking the new one; the old one is kept beside it. */
@Command(name = "rotate-certificate", mixinStandardHelpOptions = true,
        description = "Register a partner's new certificate (PEM): it must be issued by a configured authority, within "
                + "its validity dates and not revoked. The previous one is kept as <file>.previous. Restart the gateway "
                + "for it to take effect. Audited. Exit 0 done, 1 refused.")
final class RotateCertificateCommand implements Callable<Integer> {
    @Mixin
    GatewayCommand.StartOptions options = new GatewayCommand.StartOptions();

    @Option(names = "--partner", required = true, description = "The partner id (partners.yaml).")
    String partnerId;

    @Option(names = "--certificate", required = true, description = "The new certificate, PEM.")
    Path certificate;

    @Option(names = "--operator", description = "Who rotates, for the audit trail (default: the system user).")
    String operator = System.getProperty("user.name", "operator");

    @Override
    public Integer call() throws Exception {
        GatewaySettings settings = Launch.settings(options);
        Path config = settings.configDir();
        Territory territory = Territory.load(config.resolve("reference"));
        PartnerDirectory partners = PartnerDirectory.load(config.resolve("partners.yaml"), territory, settings::get);
        Partner partner = partners.find(partnerId).orElse(null);
        if (partner == null) {
            System.err.println("error: --partner: no partner " + partnerId + " in partners.yaml");
            return 1;
        }
        X509Certificate fresh;
        try {
            fresh = Pki.readCertificate(certificate);
        } catch (RuntimeException e) {
            System.err.println("error: --certificate: not a PEM certificate: " + certificate);
            return 1;
        }
        Pki pki = Pki.openOrCreate(settings.dataDir().resolve("pki"));
        PartnerCertificates current = PartnerCertificates.load(partners,
                CertificateAuthorities.load(config.resolve("partners.yaml")), settings.dataDir(), pki,
                settings.flag("gateway.pki.generate-demo"));
        String problem = current.problemWith(fresh).orElse(null);
        if (problem != null) {
            System.err.println("error: --certificate: refused: " + problem);
            return 1;
        }
        Path registered = PartnerCertificates.resolve(settings.dataDir(), partner.certificate());
        if (Files.exists(registered)) {
            Files.copy(registered, registered.resolveSibling(registered.getFileName() + ".previous"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Pki.writePem(registered, fresh);
        try (JournalDatabase db = JournalDatabase.open(settings)) {
            new AuditTrail(db.dataSource(), Clock.systemUTC()).record("operator", operator, "certificate.rotated", null,
                    "ok", partnerId + " " + fresh.getSerialNumber().toString(16));
        }
        System.out.printf("registered a new certificate for %s (serial %s, valid until %s); restart the gateway%n",
                partnerId, fresh.getSerialNumber().toString(16), fresh.getNotAfter().toInstant());
        return 0;
    }
}
