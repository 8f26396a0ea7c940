package fr.logement.gateway.jose;

import fr.logement.gateway.jose.JwsVerificationException.Reason;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

/** A body changed after signing, even by one bit or one trailing byte, is refused. */
class DetachedJwsTamperedBodyTest {
    @TempDir
    Path dir;

    @Test
    void oneFlippedBitIsRefused() throws Exception {
        KeyMaterial key = Pki.openOrCreate(dir).ensure("gw");
        byte[] body = JwsTestSupport.body();
        String jws = new DetachedJws(key).sign(body, "m-1");
        byte[] tampered = body.clone();
        tampered[tampered.length / 2] ^= 0x01;

        JwsTestSupport.refused(Reason.SIGNATURE_INVALID, tampered, jws, key.certificate());
    }

    @Test
    void anAppendedByteIsRefused() throws Exception {
        KeyMaterial key = Pki.openOrCreate(dir).ensure("gw", "EC");
        byte[] body = JwsTestSupport.body();
        String jws = new DetachedJws(key).sign(body, "m-1");

        JwsTestSupport.refused(Reason.SIGNATURE_INVALID, Arrays.copyOf(body, body.length + 1), jws, key.certificate());
    }
}
