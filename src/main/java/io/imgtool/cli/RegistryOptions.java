package io.imgtool.cli;

import io.imgtool.images.ImageLocation;
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
    if (!insecure) {
      return Set.of();
    }
    ImageLocation location = ImageLocation.parse(text);
    if (location instanceof ImageLocation.Registry registry) {
      return Set.of(registry.reference().registry());
    }
    return ImageReference.isValid(text) ? Set.of(ImageReference.parse(text).registry()) : Set.of();
  }

  /** The registries --insecure applies to: this one. */
  Set<String> forRegistry(String registry) {
    return insecure ? Set.of(registry) : Set.of();
  }
}
