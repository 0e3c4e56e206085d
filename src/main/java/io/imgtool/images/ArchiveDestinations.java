package io.imgtool.images;

import io.imgtool.archive.ImageArchiveWriter;
import io.imgtool.archive.NewFiles;
import io.imgtool.archive.OciLayoutWriter;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Format;
import io.imgtool.image.FormatConversion;
import io.imgtool.image.Image;
import io.imgtool.name.ImageReference;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * push and copy to an archive or layout, as skopeo spells them: {@code oci:DIR[:REF]} adds the
 * image to a layout directory; {@code oci-archive:FILE[:REF]} and {@code docker-archive:FILE[:NAME]}
 * write a new archive (both kinds at once, as save does), which replaces FILE once it is whole.
 */
final class ArchiveDestinations {
  private ArchiveDestinations() {}

  /**
   * @param ownName the image's name in the store, given to a docker archive that names none
   * @param format the manifest format asked for, or null for the image's own
   */
  static Pushed write(Workspace workspace, ExportedImage exported, Optional<ImageReference> ownName,
      ImageLocation destination, Format format) throws IOException {
    ExportedImage image = format == null ? exported : new ExportedImage(new Image(
        FormatConversion.manifest(exported.image().manifest(), format), exported.image().config(),
        exported.image().blobs()), exported.index(), exported.names());
    String ref = destination.ref();
    if (destination instanceof ImageLocation.Layout layout) {
      ArchiveOutput.write(OciLayoutWriter.open(layout.dir()), image, ref);
    } else {
      List<ImageReference> names = names(destination, ownName);
      ExportedImage withNames = new ExportedImage(image.image(), image.index(), names);
      writeArchive(destination.path(), writer -> ArchiveOutput.write(writer, withNames, names.isEmpty() ? ref : null));
    }
    return new Pushed(null, image.image().manifest().digest(), destination.text());
  }

  /**
   * A multi-platform image whole: every platform's image and the index, under its own digest.
   *
   * @param shown the platform's image a docker archive's manifest.json lists, for tools that read only that
   */
  static Pushed writeWhole(LocalImages.WholeIndex whole, Descriptor entry, Image shown,
      Optional<ImageReference> ownName, ImageLocation destination) throws IOException {
    String ref = destination.ref();
    if (destination instanceof ImageLocation.Layout layout) {
      ArchiveOutput.writeWhole(OciLayoutWriter.open(layout.dir()), whole, entry, ref);
    } else {
      List<ImageReference> names = names(destination, ownName);
      Descriptor refEntry = names.isEmpty() && ref != null ? entry.withAnnotation(Descriptor.REF_NAME, ref) : entry;
      writeArchive(destination.path(), writer -> ArchiveOutput.writeWhole(writer, whole, refEntry, names, shown));
    }
    return new Pushed(null, whole.own().digest(), destination.text());
  }

  /**
   * The names an archive gives the image: docker-archive:FILE:NAME's, else the store's; an
   * oci-archive reference that is a whole name; none for a bare tag, which is a reference name.
   */
  private static List<ImageReference> names(ImageLocation destination, Optional<ImageReference> ownName) {
    String ref = destination.ref();
    boolean docker = destination instanceof ImageLocation.DockerArchive;
    if (ref != null && (docker || isName(ref))) {
      return List.of(ImageReference.parse(ref));
    }
    return docker ? ownName.map(List::of).orElse(List.of()) : List.of();
  }

  /** skopeo's oci-archive references are often a bare tag ({@code v1}); a name has a ':' or a '/'. */
  private static boolean isName(String ref) {
    return ref != null && (ref.contains(":") || ref.contains("/")) && ImageReference.isValid(ref);
  }

  @FunctionalInterface
  interface Contents {
    void write(ImageArchiveWriter writer) throws IOException;
  }

  /** A new archive at {@code file}, replacing what was there only once it is whole. */
  static void writeArchive(Path file, Contents contents) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path temp = NewFiles.beside(absolute);
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
        ImageArchiveWriter writer = new ImageArchiveWriter(out);
        contents.write(writer);
        writer.finish();
      }
      Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
