package fr.logement.gateway.jose;

import com.nimbusds.jose.JWSAlgorithm;
import fr.logement.gateway.jose.JwsVerificationException.Reason;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/** Only the registered certificate's key counts: another key, even one the same CA vouches for, is refused. */
class DetachedJwsOtherSignerTest {
    @TempDir
    Path dir;

    @Test
    void anotherCertifiedKeyIsNotTheRegisteredSigner() throws Exception {
        Pki pki = Pki.openOrCreate(dir);
        KeyMaterial registered = pki.ensure("landlord-a");
        KeyMaterial other = pki.ensure("landlord-b");
        byte[] body = JwsTestSupport.body();

        String jws = new DetachedJws(other, JWSAlgorithm.RS256).sign(body, "m-1");
        JwsTestSupport.refused(Reason.NOT_REGISTERED_SIGNER, body, jws, registered.certificate());
    }

    @Test
    void anotherKeyClaimingTheRegisteredThumbprintFailsTheSignature() throws Exception {
        Pki pki = Pki.openOrCreate(dir);
        KeyMaterial registered = pki.ensure("landlord-a");
        KeyMaterial attacker = Pki.selfSigned("attacker");
        // The attacker names the registered certificate in x5t#S256 but can only sign with its own key.
        KeyMaterial forged = new KeyMaterial("forged", attacker.privateKey(), registered.certificate(),
                List.of(registered.certificate()));
        byte[] body = JwsTestSupport.body();

        String jws = new DetachedJws(forged, JWSAlgorithm.RS256).sign(body, "m-1");
        JwsTestSupport.refused(Reason.SIGNATURE_INVALID, body, jws, registered.certificate());
    }

    @Test
    void anEcSignatureDoesNotPassForARegisteredRsaKey() throws Exception {
        Pki pki = Pki.openOrCreate(dir);
        KeyMaterial registered = pki.ensure("landlord-a");
        KeyMaterial ec = pki.ensure("landlord-ec", "EC");
        KeyMaterial forged = new KeyMaterial("forged", ec.privateKey(), ec.certificate(), List.of(ec.certificate()));
        byte[] body = JwsTestSupport.body();
        String jws = new DetachedJws(forged, JWSAlgorithm.ES256).sign(body, "m-1");

        // Named by its own thumbprint: not the registered signer.
        JwsTestSupport.refused(Reason.NOT_REGISTERED_SIGNER, body, jws, registered.certificate());
    }
}
