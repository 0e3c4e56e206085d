package io.imgtool.cli;

import io.imgtool.image.Compression;
import io.imgtool.image.Format;
import io.imgtool.images.BuildSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options shared by the commands that make images (import, commit). */
final class BuildOptions {
  @Option(names = {"-m", "--message"}, paramLabel = "MSG", description = "Commit message (history comment).")
  String message;

  @Option(names = {"-c", "--change"}, paramLabel = "INSTR",
      description = "Apply a Dockerfile instruction: CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, ONBUILD,"
          + " STOPSIGNAL, USER, VOLUME, WORKDIR (repeatable), e.g. -c 'CMD [\"vim\"]'.")
  List<String> changes = new ArrayList<>();

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Manifest format: oci or docker (default: the base's; OCI for import and scratch).")
  Format format;

  @Option(names = "--compression", paramLabel = "ALGO", defaultValue = "gzip",
      description = "Compression of new layers: gzip, zstd or none (default: ${DEFAULT-VALUE}).")
  Compression compression;

  @Option(names = "--compression-level", paramLabel = "N",
      description = "Compression level (gzip 1-9 with zlib, zstd 1-19; default: gzip with ISA-L where"
          + " installed, else zlib 6; zstd 3).")
  Integer compressionLevel;

  @Option(names = "--timestamp", paramLabel = "SECONDS",
      description = "Created time of the new image, in seconds since the epoch (default:"
          + " SOURCE_DATE_EPOCH, else now); fixes the image ID for the same inputs.")
  String timestamp;

  @Option(names = "--iidfile", paramLabel = "FILE", description = "Write the image ID to FILE.")
  Path iidFile;

  /** What the options ask for, checked; {@code author} is the command's -a. */
  BuildSettings settings(Environment environment, String author) {
    checkLevel();
    return new BuildSettings(format, compression, level(), message, author, changes,
        Timestamps.created(timestamp, environment), Timestamps.fixed(timestamp, environment).orElse(null));
  }

  private void checkLevel() {
    if (compressionLevel != null) {
      int max = compression == Compression.ZSTD ? 19 : 9;
      if (compression == Compression.NONE || compressionLevel < 1 || compressionLevel > max) {
        throw new UsageException("--compression-level " + compressionLevel + " is out of range for "
            + compression.label() + (compression == Compression.NONE ? "" : " (1-" + max + ")"));
      }
    }
  }

  /**
   * --iidfile, prepared before the store changes (a file that cannot be written fails the command
   * first) and written after the store has the image, so it never names a missing one.
   */
  ResultFile prepareIidFile() throws IOException {
    return ResultFile.prepare(iidFile);
  }

  private int level() {
    return compressionLevel == null ? -1 : compressionLevel;
  }
}
