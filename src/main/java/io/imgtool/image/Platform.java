package io.imgtool.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** An OS/architecture[/variant] triple, as in {@code --platform linux/arm64/v8}. */
public record Platform(String os, String architecture, String variant) {

  /** Parses {@code os/arch[/variant]}; throws IllegalArgumentException when malformed. */
  public static Platform parse(String text) {
    String[] parts = text.toLowerCase(Locale.ROOT).split("/", -1);
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()
        || (parts.length == 3 && parts[2].isEmpty())) {
      throw new IllegalArgumentException(
          "invalid platform \"" + text + "\": expected OS/ARCH[/VARIANT], e.g. linux/amd64");
    }
    return normalise(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
  }

  /** This machine's platform, with Go's architecture names as registries use them. */
  public static Platform host() {
    return normalise("linux", System.getProperty("os.arch"), null);
  }

  public static Platform fromJson(JsonNode node) {
    return new Platform(Json.text(node, "os"), Json.text(node, "architecture"), Json.text(node, "variant"));
  }

  private static Platform normalise(String os, String arch, String variant) {
    String goArch = switch (arch) {
      case "x86_64", "x86-64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "i386", "i686", "x86", "386" -> "386";
      case "armhf", "armel", "arm" -> "arm";
      default -> arch;
    };
    if (goArch.equals("arm64") && "v8".equals(variant)) {
      variant = null; // linux/arm64 and linux/arm64/v8 are the same platform
    }
    return new Platform(os, goArch, variant);
  }

  /** True when an image for {@code other} runs here: variant matters only when both name one. */
  public boolean matches(Platform other) {
    return os.equals(other.os) && architecture.equals(other.architecture)
        && (variant == null || other.variant == null || variant.equals(other.variant));
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
