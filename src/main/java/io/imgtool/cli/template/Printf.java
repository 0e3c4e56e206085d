package io.imgtool.cli.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The verbs of Go's Printf that templates use: {@code %s %v %d %q %t %x %X %f %%}, with the
 * {@code -} and {@code 0} flags, a width and a precision. A verb whose argument is missing or
 * of the wrong kind is printed as Go prints it ({@code %!d(string=x)}, {@code %!s(MISSING)}).
 */
final class Printf {
  private Printf() {}

  static String format(String format, List<JsonNode> args) {
    StringBuilder out = new StringBuilder();
    int next = 0;
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      int start = i + 1;
      int j = start;
      while (j < format.length() && "-+# 0".indexOf(format.charAt(j)) >= 0) {
        j++;
      }
      String flags = format.substring(start, j);
      int widthStart = j;
      while (j < format.length() && Character.isDigit(format.charAt(j))) {
        j++;
      }
      int width = j > widthStart ? Integer.parseInt(format.substring(widthStart, j)) : -1;
      int precision = -1;
      if (j < format.length() && format.charAt(j) == '.') {
        int precisionStart = ++j;
        while (j < format.length() && Character.isDigit(format.charAt(j))) {
          j++;
        }
        precision = j > precisionStart ? Integer.parseInt(format.substring(precisionStart, j)) : 0;
      }
      if (j >= format.length()) {
        out.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(j);
      i = j;
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (next >= args.size()) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      String text = verb(verb, args.get(next++), precision);
      out.append(pad(text, width, flags));
    }
    if (next < args.size()) {
      out.append("%!(EXTRA ");
      for (int k = next; k < args.size(); k++) {
        out.append(k > next ? ", " : "").append(Values.typeName(args.get(k))).append('=')
            .append(Values.print(args.get(k)));
      }
      out.append(')');
    }
    return out.toString();
  }

  private static String verb(char verb, JsonNode arg, int precision) {
    switch (verb) {
      case 'v':
      case 's': {
        String text = Values.print(arg);
        return precision >= 0 && precision < text.length() ? text.substring(0, precision) : text;
      }
      case 'q':
        return arg.isTextual() ? quote(arg.asText()) : bad(verb, arg);
      case 'd':
        return arg.isIntegralNumber() ? arg.bigIntegerValue().toString() : bad(verb, arg);
      case 't':
        return arg.isBoolean() ? Boolean.toString(arg.asBoolean()) : bad(verb, arg);
      case 'x':
      case 'X': {
        String hex;
        if (arg.isIntegralNumber()) {
          hex = arg.bigIntegerValue().toString(16);
        } else if (arg.isTextual()) {
          StringBuilder b = new StringBuilder();
          for (byte octet : arg.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            b.append(String.format("%02x", octet & 0xff));
          }
          hex = b.toString();
        } else {
          return bad(verb, arg);
        }
        return verb == 'X' ? hex.toUpperCase(java.util.Locale.ROOT) : hex;
      }
      case 'f':
        return arg.isNumber()
            ? arg.decimalValue().setScale(precision < 0 ? 6 : precision, java.math.RoundingMode.HALF_EVEN)
                .toPlainString()
            : bad(verb, arg);
      default:
        return bad(verb, arg);
    }
  }

  private static String bad(char verb, JsonNode arg) {
    return "%!" + verb + "(" + Values.typeName(arg) + "=" + Values.print(arg) + ")";
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static String pad(String text, int width, String flags) {
    int length = text.codePointCount(0, text.length());
    if (width <= length) {
      return text;
    }
    String fill = (flags.contains("0") && !flags.contains("-") ? "0" : " ").repeat(width - length);
    return flags.contains("-") ? text + fill : fill + text;
  }
}
