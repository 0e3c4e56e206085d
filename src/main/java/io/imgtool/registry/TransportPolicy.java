package io.imgtool.registry;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Decides how to reach a registry, as Docker does: verified HTTPS by default (with extra CAs from
 * {@code certs.d/<host[:port]>/*.crt}); HTTPS without verification, then plain HTTP, for an
 * insecure registry: named with {@code --insecure}, listed in the settings' {@code insecure-registries}
 * (host, host:port or a CIDR holding its IP literal), or on loopback.
 */
public final class TransportPolicy {
  private final Set<String> insecureRegistries;
  private final List<String> insecureEntries;
  private final Set<String> plainHttp;
  private final List<Path> certsDirectories;
  private final boolean loopbackInsecure;
  private final Path settingsFile;

  private TransportPolicy(Builder builder) {
    this.insecureRegistries = Set.copyOf(builder.insecureRegistries);
    this.insecureEntries = List.copyOf(builder.insecureEntries);
    this.plainHttp = Set.copyOf(builder.plainHttp);
    this.certsDirectories = List.copyOf(builder.certsDirectories);
    this.loopbackInsecure = builder.loopbackInsecure;
    this.settingsFile = builder.settingsFile;
  }

  /** "the settings file (PATH)", as the advice for insecure registries names it. */
  String settingsFileName() {
    return settingsFile == null ? "the settings file" : "the settings file (" + settingsFile + ")";
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Verified HTTPS everywhere except loopback; no extra CAs. */
  public static TransportPolicy defaults() {
    return builder().build();
  }

  public boolean isInsecure(String registry) {
    String name = normalise(registry);
    if (insecureRegistries.contains(name)) {
      return true;
    }
    RegistryHost host = RegistryHost.parse(name);
    if (loopbackInsecure && host.isLoopback()) {
      return true;
    }
    for (String entry : insecureEntries) {
      if (entry.equals(name) || entry.equals(host.host()) || inCidr(entry, host)) {
        return true;
      }
    }
    return false;
  }

  /** A registry on this machine that the loopback rule makes insecure. */
  boolean isInsecureLoopback(String registry) {
    return loopbackInsecure && RegistryHost.parse(normalise(registry)).isLoopback();
  }

  /**
   * True for an insecure-registries entry written as {@code http://host[:port]}: imgtool goes
   * straight to plain HTTP instead of trying HTTPS first (an extension of Docker's rules).
   */
  public boolean isPlainHttpOnly(String registry) {
    return plainHttp.contains(normalise(registry));
  }

  /** An SSL context trusting the JDK's CAs plus those in {@code certs.d/<registry>/*.crt}. */
  SSLContext verifiedContext(String registry) {
    try {
      List<X509Certificate> extra = extraCertificates(normalise(registry));
      if (extra.isEmpty()) {
        return TlsContexts.context(null);
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (X509Certificate ca : defaultTrustManager().getAcceptedIssuers()) {
        store.setCertificateEntry("jdk-" + n++, ca);
      }
      for (X509Certificate ca : extra) {
        store.setCertificateEntry("certs.d-" + n++, ca);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return TlsContexts.context(factory.getTrustManagers());
    } catch (GeneralSecurityException | IOException e) {
      throw new RegistryException("cannot load CA certificates for " + registry + ": " + e.getMessage(), e);
    }
  }

  /** The certs.d directories that would be consulted for a registry, for error messages. */
  List<Path> certsDirectoriesFor(String registry) {
    List<Path> result = new ArrayList<>();
    certsDirectories.forEach(dir -> result.add(dir.resolve(normalise(registry))));
    return result;
  }

  private List<X509Certificate> extraCertificates(String registry) throws IOException, GeneralSecurityException {
    List<X509Certificate> result = new ArrayList<>();
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    for (Path dir : certsDirectoriesFor(registry)) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.crt")) {
        for (Path file : files) {
          try (InputStream in = Files.newInputStream(file)) {
            for (Certificate cert : factory.generateCertificates(in)) {
              result.add((X509Certificate) cert);
            }
          }
        }
      }
    }
    return result;
  }

  private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (var manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no default X.509 trust manager");
  }

  private static boolean inCidr(String entry, RegistryHost host) {
    int slash = entry.indexOf('/');
    if (slash < 0) {
      return false;
    }
    var address = host.ipLiteral();
    if (address.isEmpty()) {
      return false;
    }
    try {
      byte[] network = InetAddress.getByName(entry.substring(0, slash)).getAddress();
      byte[] ip = address.get().getAddress();
      int prefix = Integer.parseInt(entry.substring(slash + 1));
      if (network.length != ip.length || prefix < 0 || prefix > ip.length * 8) {
        return false;
      }
      BigInteger mask = BigInteger.ONE.shiftLeft(ip.length * 8).subtract(BigInteger.ONE)
          .shiftRight(prefix).not();
      return new BigInteger(1, network).and(mask).equals(new BigInteger(1, ip).and(mask));
    } catch (UnknownHostException | NumberFormatException e) {
      return false; // a malformed entry matches nothing
    }
  }

  /** Docker accepts entries written as URLs; compare bare host[:port] in lower case. */
  static String normalise(String registry) {
    String text = registry.strip().toLowerCase(Locale.ROOT);
    if (text.startsWith("http://")) {
      text = text.substring(7);
    } else if (text.startsWith("https://")) {
      text = text.substring(8);
    }
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return text;
  }

  public static final class Builder {
    private final Set<String> insecureRegistries = new LinkedHashSet<>();
    private final List<String> insecureEntries = new ArrayList<>();
    private final List<Path> certsDirectories = new ArrayList<>();
    private final Set<String> plainHttp = new LinkedHashSet<>();
    private boolean loopbackInsecure = true;
    private Path settingsFile;

    /** A registry the user named insecure for this command ({@code --insecure}). */
    public Builder insecure(String registry) {
      insecureRegistries.add(normalise(registry));
      return this;
    }

    /** The settings' {@code insecure-registries}: hosts, host:port, or CIDRs. */
    public Builder insecureRegistries(List<String> entries) {
      for (String entry : entries) {
        insecureEntries.add(normalise(entry));
        if (entry.strip().toLowerCase(Locale.ROOT).startsWith("http://")) {
          plainHttp.add(normalise(entry));
        }
      }
      return this;
    }

    /** Directories in Docker's {@code certs.d} layout, searched in order. */
    public Builder certsDirectories(List<Path> directories) {
      certsDirectories.addAll(directories);
      return this;
    }

    /** The settings file insecure-registries are read from, for the advice that names it. */
    public Builder settingsFile(Path file) {
      settingsFile = file;
      return this;
    }

    /** Loopback registries are insecure as in Docker; tests turn this off to check verification. */
    public Builder loopbackInsecure(boolean value) {
      loopbackInsecure = value;
      return this;
    }

    public TransportPolicy build() {
      return new TransportPolicy(this);
    }
  }
}
