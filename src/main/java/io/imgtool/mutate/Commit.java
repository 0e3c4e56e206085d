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
 * <p>History: one commit is one entry, as {@code docker commit} records it. The image config needs
 * one entry per layer, so a commit of several layers records one per layer
 * (created_by from {@link NewLayer#createdBy()}), and the last of them is the commit's: it
 * also names the {@code -c} instructions, in normalised Dockerfile syntax as the command line
 * would give them again ({@code imgtool commit --layer app.tar -c 'CMD ["nginx"]'}), and carries
 * the {@code -m} message. A commit without layers records one {@code empty_layer} entry, with the
 * instructions if any, as Docker does for a container without changes. Every new entry carries
 * the {@code -a} author when given.
 */
public final class Commit {
  /** How history names a commit: {@code imgtool commit --layer FILE}, {@code imgtool commit -c INSTR}. */
  public static final String COMMAND = "imgtool commit";

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
    String changes = changes(applied.createdBy());
    for (int i = 0; i < layers.size(); i++) {
      boolean last = i == layers.size() - 1;
      String createdBy = layers.get(i).createdBy();
      config.appendHistory(new History(created, last && !changes.isEmpty() ? createdBy + changes : createdBy, author,
          last ? options.message() : null, false));
    }
    if (layers.isEmpty()) {
      config.appendHistory(new History(created, changes.isEmpty() ? null : COMMAND + changes, author,
          options.message(), true));
    }
    Format baseFormat = base == null ? Format.OCI : base.manifest().format();
    return ConfigDocument.assemble(ImageConfig.of(config.json()), options.format().orElse(baseFormat),
        base == null ? List.of() : base.layers(), baseFormat, layers);
  }

  /** {@code  -c 'ENV A=1' -c 'CMD ["x"]'}: each instruction as a shell word, or "" for none. */
  private static String changes(List<String> instructions) {
    StringBuilder text = new StringBuilder();
    for (String instruction : instructions) {
      text.append(" -c '").append(instruction.replace("'", "'\\''")).append('\'');
    }
    return text.toString();
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
