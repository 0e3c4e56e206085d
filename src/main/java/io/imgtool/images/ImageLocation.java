package io.imgtool.images;

import io.imgtool.name.ImageReference;
import java.nio.file.Path;

/**
 * Where an image argument points, by the transport prefix skopeo spells: {@code oci:DIR[:REF]},
 * {@code oci-archive:FILE[:REF]}, {@code docker-archive:FILE[:NAME]}, {@code docker://NAME};
 * without a prefix, a local image (name or ID) or else a registry image; {@code scratch}. A path
 * cannot hold a colon, as with skopeo; to name a registry host such as {@code oci:5000}, write
 * {@code docker://oci:5000/…}.
 */
public sealed interface ImageLocation {
  String OCI = "oci:";
  String OCI_ARCHIVE = "oci-archive:";
  String DOCKER_ARCHIVE = "docker-archive:";
  String DOCKER = "docker://";

  /** A local image by name or ID, or else (where the command allows) a registry image of that name. */
  record Named(String text) implements ImageLocation {}

  record Registry(ImageReference reference) implements ImageLocation {}

  /** An OCI layout directory; {@code ref} is an entry's reference name, or null for its only image. */
  record Layout(Path dir, String ref) implements ImageLocation {}

  /** A tar of an OCI layout (Docker 25+'s save is one too); {@code ref} as for {@link Layout}. */
  record LayoutArchive(Path file, String ref) implements ImageLocation {}

  /** A docker save archive; {@code name} picks one of its images by name, or null for its only one. */
  record DockerArchive(Path file, String name) implements ImageLocation {}

  record Scratch() implements ImageLocation {}

  static ImageLocation parse(String text) {
    if (text.equals(BaseImage.SCRATCH)) {
      return new Scratch();
    }
    if (text.startsWith(DOCKER)) {
      return new Registry(ImageReference.parse(text.substring(DOCKER.length())));
    }
    if (text.startsWith(OCI)) {
      String[] parts = split(text.substring(OCI.length()), text);
      return new Layout(Path.of(parts[0]), parts[1]);
    }
    if (text.startsWith(OCI_ARCHIVE)) {
      String[] parts = split(text.substring(OCI_ARCHIVE.length()), text);
      return new LayoutArchive(Path.of(parts[0]), parts[1]);
    }
    if (text.startsWith(DOCKER_ARCHIVE)) {
      String[] parts = split(text.substring(DOCKER_ARCHIVE.length()), text);
      return new DockerArchive(Path.of(parts[0]), parts[1]);
    }
    return new Named(text);
  }

  /** PATH and the optional reference after the first colon. */
  private static String[] split(String rest, String text) {
    int colon = rest.indexOf(':');
    String path = colon < 0 ? rest : rest.substring(0, colon);
    String ref = colon < 0 || colon == rest.length() - 1 ? null : rest.substring(colon + 1);
    if (path.isEmpty()) {
      throw new InvalidRequestException("\"" + text + "\" names no path; write e.g. oci:./layout:v1,"
          + " oci-archive:image.tar or docker-archive:image.tar:name:tag");
    }
    return new String[] {path, ref};
  }

  /** True for the transports that are files or directories rather than a store or registry. */
  default boolean isArchive() {
    return this instanceof Layout || this instanceof LayoutArchive || this instanceof DockerArchive;
  }

  /** An archive's or layout's path. */
  default Path path() {
    if (this instanceof Layout layout) {
      return layout.dir();
    }
    if (this instanceof LayoutArchive archive) {
      return archive.file();
    }
    if (this instanceof DockerArchive archive) {
      return archive.file();
    }
    throw new IllegalStateException("not an archive or layout: " + this);
  }

  /** The reference or name an archive location picks an image by, or null for its only image. */
  default String ref() {
    if (this instanceof Layout layout) {
      return layout.ref();
    }
    if (this instanceof LayoutArchive archive) {
      return archive.ref();
    }
    return this instanceof DockerArchive archive ? archive.name() : null;
  }

  /** As a user writes it, for messages. */
  default String text() {
    if (this instanceof Layout layout) {
      return OCI + layout.dir() + (layout.ref() == null ? "" : ":" + layout.ref());
    }
    if (this instanceof LayoutArchive archive) {
      return OCI_ARCHIVE + archive.file() + (archive.ref() == null ? "" : ":" + archive.ref());
    }
    if (this instanceof DockerArchive archive) {
      return DOCKER_ARCHIVE + archive.file() + (archive.name() == null ? "" : ":" + archive.name());
    }
    return toString();
  }
}
