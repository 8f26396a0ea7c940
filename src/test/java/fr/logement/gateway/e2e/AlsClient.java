package fr.logement.gateway.e2e;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * ALS as an outside client would be written: the JDK's HTTP client with its own key store, and a detached JWS made
 * with Nimbus directly from the published profile — none of the gateway's own signing or TLS code.
 */
final class AlsClient {
    private final HttpClient http;
    private final URI base;
    private final PrivateKey signingKey;
    private final X509Certificate signingCert;

    AlsClient(URI base, PrivateKey tlsKey, X509Certificate tlsCert, PrivateKey signingKey, X509Certificate signingCert,
              X509Certificate ca) throws Exception {
        this.base = base;
        this.signingKey = signingKey;
        this.signingCert = signingCert;
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        X509Certificate[] chain = tlsCert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())
                ? new X509Certificate[]{tlsCert, ca} : new X509Certificate[]{tlsCert};
        ks.setKeyEntry("me", tlsKey, "x".toCharArray(), chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, "x".toCharArray());
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        this.http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The detached JWS of the profile: {@code header..signature}, RS256, x5t#S256 and iat in the protected header. */
    String sign(byte[] body, Instant issuedAt) throws Exception {
        byte[] thumb = MessageDigest.getInstance("SHA-256").digest(signingCert.getEncoded());
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JOSE)
                .x509CertSHA256Thumbprint(Base64URL.encode(thumb))
                .customParam("iat", issuedAt.getEpochSecond()).build();
        JWSObject jws = new JWSObject(header, new Payload(body));
        jws.sign(new RSASSASigner(signingKey));
        return jws.serialize(true);
    }

    HttpResponse<String> post(String path, byte[] body) throws Exception {
        return post(path, body, sign(body, Instant.now()));
    }

    HttpResponse<String> post(String path, byte[] body, String signature, String... extraHeaders) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) b.header("X-JWS-Signature", signature);
        for (int i = 0; i + 1 < extraHeaders.length; i += 2) b.header(extraHeaders[i], extraHeaders[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
