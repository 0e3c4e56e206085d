package io.imgtool.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Self-signed server keys for the mock TLS servers of the registry tests (keytool, so no extra library). */
final class TestKeystores {
  private static final String PASSWORD = "changeit";

  private TestKeystores() {}

  /**
   * A PKCS12 key store in {@code dir} with an EC key and a self-signed certificate naming
   * {@code subjectAltName} (e.g. "IP:127.0.0.1"), and the certificate beside it as
   * {@code NAME.crt}; made once per name (keytool takes a second).
   */
  static Path selfSigned(Path dir, String subjectAltName) throws Exception {
    String name = subjectAltName.replaceAll("[^A-Za-z0-9.]", "_");
    Path keystore = dir.resolve(name + ".p12");
    if (!Files.exists(keystore)) {
      keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=server",
          "-ext", "SAN=" + subjectAltName.toLowerCase(Locale.ROOT), "-validity", "2",
          "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
      keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(), "-storetype", "PKCS12",
          "-storepass", PASSWORD, "-file", certificate(keystore).toString());
    }
    return keystore;
  }

  /** The certificate {@link #selfSigned} wrote beside the key store. */
  static Path certificate(Path keystore) {
    return Path.of(keystore.toString().replace(".p12", ".crt"));
  }

  /** A server-side TLS context (JSSE) presenting the key store's certificate. */
  static SSLContext serverContext(Path keystore) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(managers.getKeyManagers(), null, null);
    return context;
  }

  private static void keytool(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
  }
}
