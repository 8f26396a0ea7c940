package fr.logement.gateway.jose;

import fr.logement.gateway.jose.JwsVerificationException.Reason;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

/** An unsecured JWS ("alg":"none"), with or without a signature part, is refused whatever else it says. */
class DetachedJwsAlgNoneTest {
    @TempDir
    Path dir;

    @Test
    void algNoneIsRefused() throws Exception {
        KeyMaterial key = Pki.openOrCreate(dir).ensure("gw");
        String header = "{\"alg\":\"none\",\"typ\":\"JOSE\",\"x5t#S256\":\"" + JwsTestSupport.thumbprint(key)
                + "\",\"iat\":" + Instant.now().getEpochSecond() + "}";

        JwsTestSupport.refused(Reason.ALGORITHM_NOT_ALLOWED, JwsTestSupport.body(), JwsTestSupport.handMade(header, ""),
                key.certificate());
        JwsTestSupport.refused(Reason.ALGORITHM_NOT_ALLOWED, JwsTestSupport.body(), JwsTestSupport.handMade(header, "AAAA"),
                key.certificate());
    }

    @Test
    void algorithmNamesAreNotCaseFolded() throws Exception {
        KeyMaterial key = Pki.openOrCreate(dir).ensure("gw");
        String header = "{\"alg\":\"None\",\"typ\":\"JOSE\",\"x5t#S256\":\"" + JwsTestSupport.thumbprint(key)
                + "\",\"iat\":" + Instant.now().getEpochSecond() + "}";

        JwsTestSupport.refused(Reason.ALGORITHM_NOT_ALLOWED, JwsTestSupport.body(), JwsTestSupport.handMade(header, ""),
                key.certificate());
    }
}
