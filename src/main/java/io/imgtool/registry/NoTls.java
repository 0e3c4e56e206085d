package io.imgtool.registry;

import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS context of a plain-HTTP client, which never makes a TLS connection. java.net.http builds
 * the default context (reading the CA store) for every client it is not given one for, and even
 * an empty JSSE context costs the set-up of every cipher suite: together a large part of a short
 * command's time. This context is not JSSE at all; every use of it fails, so it fails closed.
 */
final class NoTls extends SSLContextSpi {
  private NoTls() {}

  static SSLContext context() {
    return new SSLContext(new NoTls(), null, "none") {};
  }

  /** Parameters to give the client with {@link #context()}, which has no defaults to ask for. */
  static SSLParameters parameters() {
    return new SSLParameters();
  }

  private static UnsupportedOperationException plainHttpOnly() {
    return new UnsupportedOperationException("this client speaks plain HTTP only");
  }

  @Override
  protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
    throw plainHttpOnly();
  }

  @Override
  protected SSLSocketFactory engineGetSocketFactory() {
    throw plainHttpOnly();
  }

  @Override
  protected SSLServerSocketFactory engineGetServerSocketFactory() {
    throw plainHttpOnly();
  }

  @Override
  protected SSLEngine engineCreateSSLEngine() {
    throw plainHttpOnly();
  }

  @Override
  protected SSLEngine engineCreateSSLEngine(String host, int port) {
    throw plainHttpOnly();
  }

  @Override
  protected SSLSessionContext engineGetServerSessionContext() {
    throw plainHttpOnly();
  }

  @Override
  protected SSLSessionContext engineGetClientSessionContext() {
    throw plainHttpOnly();
  }
}
