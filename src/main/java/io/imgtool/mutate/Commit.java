package io.imgtool.mutate;

import io.imgtool.image.Format;
import io.imgtool.image.History;
import io.imgtool.image.Image;
import io.imgtool.image.ImageConfig;
import io.imgtool.image.InvalidImageException;
import io.imgtool.image.Platform;
import java.util.List;

/**
 * {@code docker commit} without a daemon: a new image made of the base's layers, new layers on
 * top and config changes, returned as a manifest and config in memory (nothing is written).
 *
 * <p>The base config is kept as it is, fields imgtool does not know included, except for what a
 * commit changes: {@code created}; {@code author} when {@code -a} is given (otherwise the base's
 * stays, as in Docker's containerd image store); {@code comment} set to {@code -m} or removed
 * (it described the base); {@code rootfs.diff_ids} and {@code history} appended; the container
 * defaults ({@code config}) changed by {@code -c}. {@code container}, {@code container_config}
 * and {@code docker_version} are removed: Docker fills them with the committing container and
 * daemon, which imgtool does not have, and the base's values would describe the base's last
 * build step as if it had made this image.
 *
 * <p>History: one entry per new layer (created_by from {@link NewLayer#createdBy()}), then one
 * {@code empty_layer} entry per {@code -c} instruction with the instruction in normalised
 * Dockerfile syntax (e.g. {@code CMD ["nginx","-g","daemon off;"]}), the way a Dockerfile build
 * records them. A commit with neither records one empty_layer entry, as Docker does for a
 * container without changes. Every new entry carries the {@code -a} author and {@code -m}
 * message when given.
 */
public final class Commit {
  private static final List<String> DOCKER_RUNTIME_FIELDS =
      List.of("container", "container_config", "docker_version");

  private Commit() {}

  /**
   * The committed image. base == null means scratch; then scratchPlatform names the os and
   * architecture (and the format defaults to OCI). Throws {@link InvalidInstructionException}
   * for a bad {@code -c}, {@link IncompatibleFormatException} for layers the target format
   * cannot hold, {@link InvalidImageException} for an inconsistent base.
   */
  public static Committed apply(
      Image base, Platform scratchPlatform, List<NewLayer> layers, CommitOptions options) {
    Instructions instructions = Instructions.parse(options.changes());
    ConfigDocument config = base == null ? ConfigDocument.scratch(scratchPlatform) : fromBase(base);
    String created = Timestamps.rfc3339Nano(options.created());
    config.put("created", created);
    if (options.hasAuthor()) {
      config.put("author", options.author());
    }
    if (options.hasMessage()) {
      config.put("comment", options.message());
    }
    Instructions.Applied applied = instructions.applyTo(config.containerConfig(), config.os());
    if (!instructions.isEmpty()) {
      config.setContainerConfig(applied.containerConfig());
    }
    config.appendDiffIds(layers);
    String author = options.hasAuthor() ? options.author() : null;
    for (NewLayer layer : layers) {
      config.appendHistory(new History(created, layer.createdBy(), author, options.message(), false));
    }
    for (String createdBy : applied.createdBy()) {
      config.appendHistory(new History(created, createdBy, author, options.message(), true));
    }
    if (layers.isEmpty() && instructions.isEmpty()) {
      config.appendHistory(new History(created, null, author, options.message(), true));
    }
    Format baseFormat = base == null ? Format.OCI : base.manifest().format();
    return ConfigDocument.assemble(ImageConfig.of(config.json()), options.format().orElse(baseFormat),
        base == null ? List.of() : base.layers(), baseFormat, layers);
  }

  private static ConfigDocument fromBase(Image base) {
    int diffIds = base.config().diffIds().size();
    int manifestLayers = base.layers().size();
    if (diffIds != manifestLayers) {
      throw new InvalidImageException("base image " + base.id() + " is inconsistent: its config lists "
          + diffIds + " diff_ids but its manifest has " + manifestLayers + " layers");
    }
    ConfigDocument config = new ConfigDocument(base.config().toJson());
    DOCKER_RUNTIME_FIELDS.forEach(config.json()::remove);
    config.json().remove("comment");
    return config;
  }
}
