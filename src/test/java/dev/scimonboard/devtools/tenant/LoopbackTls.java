package dev.scimonboard.devtools.tenant;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * What lets a process reach the emulated Key Vault as the real one is reached: under a {@code *.vault.azure.net}
 * name, over https. Azure's Key Vault client insists on both (it sends no token over http, and it checks that the
 * vault's host ends with the domain its authentication challenge names), so the emulation is served with a
 * certificate made here for that name, and the function host's JVM is given a hosts file that maps the name to
 * 127.0.0.1 and a trust store holding the certificate ({@link #jvmOptions()}). The emulated callback receiver is
 * reached the same way, under {@value #CALLBACK_HOST}, a name that looks public as a ticketing system's would.
 *
 * <p>The key pair is made fresh by the JDK's keytool in a folder of the caller's choice; it protects nothing but
 * this loopback emulation, and its store password is not a secret.
 */
final class LoopbackTls {
    /** The emulated vault's host name. */
    static final String VAULT_HOST = "scim-tokens.vault.azure.net";
    /** The emulated callback receiver's host name, as a ticketing system's webhook host would be. */
    static final String CALLBACK_HOST = "hooks.ticketing.example";
    /** The names the certificate is made for; a cached certificate without one of them is made again. */
    static final List<String> CERTIFICATE_NAMES = List.of(VAULT_HOST, "*.vault.azure.net", CALLBACK_HOST);

    private static final String STORE_PASSWORD = "emulated-loopback-only";
    private static final String ALIAS = "emulated-key-vault";

    private final Path folder;
    private final SSLContext serverContext;

    private LoopbackTls(Path folder, SSLContext serverContext) {
        this.folder = folder;
        this.serverContext = serverContext;
    }

    /**
     * Makes the certificate, trust store and hosts file in a folder, or reuses those already there.
     *
     * @param folder where to keep them
     * @return the material
     * @throws IOException when keytool cannot run or the files cannot be written
     */
    static LoopbackTls in(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path keyStore = folder.resolve("key-vault-server.p12");
        Path trustStore = folder.resolve("truststore.p12");
        if (!Files.exists(keyStore) || !Files.exists(trustStore) || !namesAll(keyStore)) {
            Files.deleteIfExists(keyStore);
            generate(keyStore);
            writeTrustStore(keyStore, trustStore);
        }
        Files.writeString(folder.resolve("hosts"), hostsFile(), StandardCharsets.US_ASCII);
        // One option per line, for scripts that start a function host (scripts/run-local).
        Files.write(folder.resolve("jvm-options"), options(folder), StandardCharsets.UTF_8);
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, STORE_PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return new LoopbackTls(folder, context);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the emulated Key Vault's certificate from " + keyStore, e);
        }
    }

    /**
     * Whether the certificate in a key store is made for every name of {@link #CERTIFICATE_NAMES}; false when it is
     * not, or cannot be read (a folder from an older version, or a broken file).
     */
    static boolean namesAll(Path keyStore) {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD.toCharArray());
            if (!(store.getCertificate(ALIAS) instanceof X509Certificate certificate)) {
                return false;
            }
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            Set<Object> names = new HashSet<>();
            if (alternatives != null) {
                // Each entry is [type, value]; type 2 is a DNS name.
                alternatives.stream().filter(entry -> Integer.valueOf(2).equals(entry.get(0)))
                        .forEach(entry -> names.add(entry.get(1)));
            }
            return names.containsAll(CERTIFICATE_NAMES);
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }

    /** The server side's TLS context. */
    SSLContext serverContext() {
        return serverContext;
    }

    /**
     * The options that a JVM running the function app needs to reach the emulated vault: name resolution from the
     * hosts file, and the trust store.
     *
     * @return the options, for the command line or {@code JAVA_TOOL_OPTIONS}
     */
    List<String> jvmOptions() {
        return options(folder);
    }

    private static List<String> options(Path folder) {
        return List.of(
                "-Djdk.net.hosts.file=" + folder.resolve("hosts").toAbsolutePath(),
                "-Djavax.net.ssl.trustStore=" + folder.resolve("truststore.p12").toAbsolutePath(),
                "-Djavax.net.ssl.trustStorePassword=" + STORE_PASSWORD,
                "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    private static void generate(Path keyStore) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-dname", "CN=" + VAULT_HOST, "-ext", "SAN=dns:" + String.join(",dns:", CERTIFICATE_NAMES),
                "-validity", "3650", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD)
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool could not make the emulated Key Vault's certificate: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
    }

    private static void writeTrustStore(Path keyStore, Path trustStore) throws IOException {
        try (InputStream in = Files.newInputStream(keyStore); OutputStream out = Files.newOutputStream(trustStore)) {
            KeyStore source = KeyStore.getInstance("PKCS12");
            source.load(in, STORE_PASSWORD.toCharArray());
            Certificate certificate = source.getCertificate(ALIAS);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(ALIAS, certificate);
            trust.store(out, STORE_PASSWORD.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the trust store " + trustStore, e);
        }
    }

    /** The vault's and the callback receiver's names and this machine's own names, all on the loopback address. */
    private static String hostsFile() {
        StringBuilder hosts = new StringBuilder();
        hosts.append("127.0.0.1 ").append(VAULT_HOST).append('\n');
        hosts.append("127.0.0.1 ").append(CALLBACK_HOST).append('\n');
        hosts.append("127.0.0.1 localhost\n");
        hosts.append("::1 localhost\n");
        try {
            String own = InetAddress.getLocalHost().getHostName();
            hosts.append("127.0.0.1 ").append(own).append('\n');
        } catch (IOException e) {
            // Without its own name the JVM still resolves everything the function app uses.
        }
        return hosts.toString();
    }
}
