package io.imgtool.registry;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** A registry as written in image names ({@code host}, {@code host:port}, {@code [::1]:5000}), taken apart. */
record RegistryHost(String host, int port) {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  static RegistryHost parse(String registry) {
    String text = registry.toLowerCase(Locale.ROOT);
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      String host = text.substring(1, close);
      String rest = text.substring(close + 1);
      return new RegistryHost(host, rest.startsWith(":") ? Integer.parseInt(rest.substring(1)) : -1);
    }
    int colon = text.lastIndexOf(':');
    if (colon > 0 && text.indexOf(':') == colon) {
      return new RegistryHost(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    }
    return new RegistryHost(text, -1);
  }

  /** The address when the host is an IP literal; never a DNS lookup. */
  Optional<InetAddress> ipLiteral() {
    if (!IPV4.matcher(host).matches() && !host.contains(":")) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(host));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  boolean isLoopback() {
    return host.equals("localhost") || ipLiteral().map(InetAddress::isLoopbackAddress).orElse(false);
  }

  /** host[:port] for URIs, IPv6 in brackets. */
  String authority() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return port < 0 ? h : h + ":" + port;
  }
}
