package dev.scimonboard.devtools.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopbackTlsTest {

    @Test
    void aCachedCertificateWithoutTheCallbackHostIsMadeAgainWithItsTrustStore(@TempDir Path folder) throws Exception {
        // What an earlier version left in the folder: a certificate for the vault's names only.
        Path keyStore = folder.resolve("key-vault-server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "emulated-key-vault", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + LoopbackTls.VAULT_HOST, "-ext", "SAN=dns:" + LoopbackTls.VAULT_HOST
                        + ",dns:*.vault.azure.net", "-validity", "30", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", "emulated-loopback-only",
                "-keypass", "emulated-loopback-only").redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertEquals(0, keytool.waitFor());
        Files.writeString(folder.resolve("truststore.p12"), "stale");
        assertFalse(LoopbackTls.namesAll(keyStore));

        LoopbackTls.in(folder);

        assertTrue(LoopbackTls.namesAll(keyStore), "the certificate names " + LoopbackTls.CERTIFICATE_NAMES);
        assertEquals(certificate(keyStore), certificate(folder.resolve("truststore.p12")),
                "the trust store holds the new certificate");
        assertTrue(Files.readString(folder.resolve("hosts")).contains("127.0.0.1 " + LoopbackTls.CALLBACK_HOST));
    }

    @Test
    void aCurrentCachedCertificateIsReused(@TempDir Path folder) throws Exception {
        LoopbackTls.in(folder);
        Certificate first = certificate(folder.resolve("key-vault-server.p12"));

        LoopbackTls.in(folder);

        assertEquals(first, certificate(folder.resolve("key-vault-server.p12")));
    }

    private static Certificate certificate(Path store) throws Exception {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, "emulated-loopback-only".toCharArray());
            return keys.getCertificate("emulated-key-vault");
        }
    }
}
