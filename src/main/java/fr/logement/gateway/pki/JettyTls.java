package fr.logement.gateway.pki;

import org.apache.cxf.configuration.jsse.TLSServerParameters;
import org.apache.cxf.configuration.security.ClientAuthentication;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

/** TLS for a CXF endpoint on Jetty: our key, the partners' CA as trust, and a client certificate required (mTLS). */
public final class JettyTls {
    private static final char[] TRANSIENT = "transient".toCharArray();

    private JettyTls() {}

    public static TLSServerParameters mutual(KeyMaterial own, X509Certificate ca) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("own", own.privateKey(), TRANSIENT, own.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, TRANSIENT);
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            TLSServerParameters p = new TLSServerParameters();
            p.setKeyManagers(kmf.getKeyManagers());
            p.setTrustManagers(tmf.getTrustManagers());
            ClientAuthentication auth = new ClientAuthentication();
            auth.setRequired(true);
            auth.setWant(true);
            p.setClientAuthentication(auth);
            return p;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
