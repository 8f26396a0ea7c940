package fr.logement.gateway.config;

import java.net.URI;
import java.util.List;

/**
 * One organisation the gateway exchanges with, as declared in config/partners.yaml.
 *
 * @param certificate path of the partner's registered certificate (PEM), relative to the data directory
 *                    when not absolute; the only certificate trusted for this partner's TLS and signatures
 */
public record Partner(String id, PartnerKind kind, String name, String siren, String siret,
                      List<String> territory, Protocol protocol, URI endpoint, String certificate) {

    public enum PartnerKind { als, landlord, sne, regional_file, syplo, employer }

    public enum Protocol { soap, rest }

    public boolean is(PartnerKind k) {
        return kind == k;
    }
}
