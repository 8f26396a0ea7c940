package fr.logement.gateway.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A private key with its certificate and chain (leaf first), as used to sign or to authenticate over TLS. */
public record KeyMaterial(String alias, PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> chain) {
}
