package fr.logement.gateway.jose;

import com.nimbusds.jose.JWSAlgorithm;
import fr.logement.gateway.pki.KeyMaterial;
import fr.logement.gateway.pki.Pki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What DetachedJws signs verifies with another implementation of JOSE (Debian's python3-jwcrypto, not Nimbus), so
 * a partner following the written profile can check our signatures; and that implementation refuses a tampered body.
 * Fails, never skips, when the peer is not installed: CI installs it (.ci/run).
 */
class DetachedJwsIndependentPeerTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    @BeforeAll
    static void peerIsInstalled() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            fail("independent JWS peer missing: " + PYTHON + " not found; install python3 and python3-jwcrypto "
                    + "(apt-get install -y python3-jwcrypto)");
        }
        Result r = run(List.of(PYTHON.toString(), "-c", "import jwcrypto.jws, jwcrypto.jwk"));
        if (r.exit != 0) {
            fail("independent JWS peer missing: python module jwcrypto not importable by " + PYTHON
                    + "; install it with apt-get install -y python3-jwcrypto. Output: " + r.output);
        }
    }

    @Test
    void rs256VerifiesWithJwcryptoAndTamperingIsCaught() throws Exception {
        check(Pki.openOrCreate(dir).ensure("gw"), JWSAlgorithm.RS256);
    }

    @Test
    void ps256VerifiesWithJwcryptoAndTamperingIsCaught() throws Exception {
        check(Pki.openOrCreate(dir).ensure("gw"), JWSAlgorithm.PS256);
    }

    @Test
    void es256VerifiesWithJwcryptoAndTamperingIsCaught() throws Exception {
        check(Pki.openOrCreate(dir).ensure("gw-ec", "EC"), JWSAlgorithm.ES256);
    }

    private void check(KeyMaterial key, JWSAlgorithm alg) throws Exception {
        byte[] body = new byte[100_000 + 2]; // binary, and not a multiple of 3
        new Random(42).nextBytes(body);
        DetachedJws.Signing s = new DetachedJws(key, alg).start("m-peer");
        for (int off = 0; off < body.length; off += 8191) s.write(body, off, Math.min(8191, body.length - off));
        String jws = s.finish();

        Path script = dir.resolve("verify_detached.py");
        try (InputStream in = getClass().getResourceAsStream("/jws-peer/verify_detached.py")) {
            assertNotNull(in, "test resource jws-peer/verify_detached.py");
            Files.copy(in, script);
        }
        Path cert = dir.resolve("signer.pem");
        Pki.writePem(cert, key.certificate());
        Path bodyFile = Files.write(dir.resolve("body.bin"), body);
        Path jwsFile = Files.writeString(dir.resolve("body.jws"), jws, StandardCharsets.US_ASCII);
        List<String> cmd = List.of(PYTHON.toString(), script.toString(), "--cert", cert.toString(),
                "--body", bodyFile.toString(), "--jws", jwsFile.toString(), "--alg", alg.getName());

        Result valid = run(cmd);
        assertEquals(0, valid.exit, "jwcrypto should accept our " + alg + " signature: " + valid.output);
        assertTrue(valid.output.contains("VALID alg=" + alg.getName()), valid.output);

        body[body.length - 1] ^= 0x01;
        Files.write(bodyFile, body);
        Result tampered = run(cmd);
        assertEquals(1, tampered.exit, "jwcrypto should refuse a tampered body: " + tampered.output);
        assertTrue(tampered.output.startsWith("INVALID"), tampered.output);
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the python peer did not finish in time");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim());
    }
}
