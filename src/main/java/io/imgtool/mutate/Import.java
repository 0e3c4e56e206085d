package io.imgtool.mutate;

import io.imgtool.image.Format;
import io.imgtool.image.History;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.Platform;
import java.util.List;

/**
 * {@code docker import}: a one-layer image on scratch from a root filesystem tarball. As Docker
 * writes it: the platform, {@code created}, the container defaults built from {@code -c}
 * changes on an empty config, one diffID, and a single history entry whose comment (also the
 * config's {@code comment}) is the {@code -m} message or "Imported from SOURCE". Docker's CLI
 * names a local file "-" there (it streams the file); the caller chooses what SOURCE says.
 */
public final class Import {
  private Import() {}

  public static Committed apply(Platform platform, NewLayer layer, String source, CommitOptions options) {
    Instructions instructions = Instructions.parse(options.changes());
    ConfigDocument config = ConfigDocument.scratch(platform);
    String created = Timestamps.rfc3339Nano(options.created());
    String comment = options.hasMessage() ? options.message() : "Imported from " + source;
    config.put("created", created);
    if (options.hasAuthor()) {
      config.put("author", options.author());
    }
    config.put("comment", comment);
    config.setContainerConfig(instructions.applyTo(config.containerConfig(), platform.os()).containerConfig());
    config.appendDiffIds(List.of(layer));
    String author = options.hasAuthor() ? options.author() : null;
    config.appendHistory(new History(created, layer.createdBy(), author, comment, false));
    Format format = options.format().orElse(Format.OCI);
    return ConfigDocument.assemble(ImageConfig.of(config.json()), format, List.of(), format, List.of(layer));
  }
}
