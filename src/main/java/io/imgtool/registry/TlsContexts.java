package io.imgtool.registry;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where the HTTPS clients' TLS contexts come from: Conscrypt (BoringSSL, in native code) when its
 * library loads on this machine, else the JDK's own JSSE. JSSE's AES-GCM is fast only once C2 has
 * compiled it, which in a push or pull of a few seconds is most of the transfer (bench/README.md).
 * Either way the trust managers are the JDK's (or {@link UnverifiedTls}), so what is verified,
 * and how (CA store, certs.d, host name), does not depend on the provider. Conscrypt is loaded
 * only when the first HTTPS client is made: plain-HTTP commands never pay for it.
 */
final class TlsContexts {
  /** {@code -Dimgtool.tls=jsse} keeps the JDK's TLS, for comparisons and as a way out. */
  static final String PROVIDER_PROPERTY = "imgtool.tls";

  private TlsContexts() {}

  /** A TLS context that trusts what the given managers trust; null means the JDK's CA store. */
  static SSLContext context(TrustManager[] trustManagers) throws GeneralSecurityException {
    Provider provider = Native.PROVIDER;
    SSLContext context = provider == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", provider);
    context.init(null, trustManagers == null ? defaultTrustManagers() : trustManagers, null);
    return context;
  }

  /** The provider in use: "Conscrypt" or the JDK's "SunJSSE", for --debug and tests. */
  static String providerName() {
    return Native.PROVIDER == null ? "SunJSSE" : Native.PROVIDER.getName();
  }

  private static TrustManager[] defaultTrustManagers() throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    return factory.getTrustManagers();
  }

  /** Holder: Conscrypt's classes and native library are loaded on first use only. */
  private static final class Native {
    static final Provider PROVIDER = load();

    private static Provider load() {
      if ("jsse".equalsIgnoreCase(System.getProperty(PROVIDER_PROPERTY, ""))) {
        return null;
      }
      try {
        return org.conscrypt.Conscrypt.isAvailable() ? org.conscrypt.Conscrypt.newProvider() : null;
      } catch (LinkageError | RuntimeException e) {
        return null; // no native library for this platform, or it cannot be loaded: JSSE it is
      }
    }
  }
}
