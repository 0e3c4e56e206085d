package io.imgtool.mutate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * EXPOSE arguments as Docker's port-spec parser reads them: {@code PORT[/PROTO]}, ranges
 * {@code 8000-8002}, and the {@code [IP:]HOSTPORT:PORT} form, of which only the container port
 * is exposed. Protocols are tcp (default), udp and sctp; the result keys look like "80/tcp".
 */
final class PortSpecs {
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private PortSpecs() {}

  /** The exposed-port keys for one spec; throws IllegalArgumentException with Docker's reason. */
  static List<String> parse(String spec) {
    int lastColon = spec.lastIndexOf(':');
    String container = spec.substring(lastColon + 1);
    String host = "";
    if (lastColon >= 0) {
      String ipAndHost = spec.substring(0, lastColon);
      int colon = ipAndHost.lastIndexOf(':');
      host = ipAndHost.substring(colon + 1);
      checkIp(colon < 0 ? "" : ipAndHost.substring(0, colon));
    }
    String[] protoSplit = container.split("/", -1);
    String port = protoSplit[0];
    String proto = protoSplit.length < 2 || protoSplit[1].isEmpty() ? "tcp" : protoSplit[1];
    if (port.isEmpty()) {
      throw new IllegalArgumentException("no port specified: " + spec + "<empty>");
    }
    long[] range = range(port, "invalid containerPort: " + port);
    if (!host.isEmpty()) {
      long[] hostRange = range(host, "invalid hostPort: " + host);
      if (range[1] - range[0] != hostRange[1] - hostRange[0] && range[1] != range[0]) {
        throw new IllegalArgumentException("invalid ranges specified for container and host Ports: "
            + port + " and " + host);
      }
    }
    proto = proto.toLowerCase(Locale.ROOT);
    if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
      throw new IllegalArgumentException("invalid proto: " + proto);
    }
    List<String> keys = new ArrayList<>();
    for (long p = range[0]; p <= range[1]; p++) {
      keys.add(p + "/" + proto);
    }
    return keys;
  }

  private static long[] range(String ports, String error) {
    try {
      int dash = ports.indexOf('-');
      if (dash < 0) {
        long port = port(ports);
        return new long[] {port, port};
      }
      String[] parts = ports.split("-", -1);
      long start = port(parts[0]);
      long end = port(parts[1]);
      if (end < start) {
        throw new IllegalArgumentException(error);
      }
      return new long[] {start, end};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(error, e);
    }
  }

  /** Go's strconv.ParseUint(s, 10, 16): decimal digits only, at most 65535. */
  private static long port(String text) {
    if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new NumberFormatException(text);
    }
    long value = Long.parseLong(text.length() > 6 ? "99999999" : text);
    if (value > 65535) {
      throw new NumberFormatException(text);
    }
    return value;
  }

  private static void checkIp(String ip) {
    String bare = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
    if (!bare.isEmpty() && !IPV4.matcher(bare).matches() && !IPV6.matcher(bare).matches()) {
      throw new IllegalArgumentException("invalid IP address: " + ip);
    }
  }
}
