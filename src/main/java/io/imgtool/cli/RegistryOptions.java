package io.imgtool.cli;

import io.imgtool.name.ImageReference;
import java.util.Set;
import picocli.CommandLine.Option;

/** --insecure, for the commands that talk to a registry. */
final class RegistryOptions {
  @Option(names = "--insecure",
      description = "Allow this command's registry to use HTTPS without certificate checks, or plain HTTP.")
  boolean insecure;

  /** The registries --insecure applies to: that of the image named, when it names a registry image. */
  Set<String> forImage(String text) {
    if (!insecure || !ImageReference.isValid(text)) {
      return Set.of();
    }
    return Set.of(ImageReference.parse(text).registry());
  }

  /** The registries --insecure applies to: this one. */
  Set<String> forRegistry(String registry) {
    return insecure ? Set.of(registry) : Set.of();
  }
}
