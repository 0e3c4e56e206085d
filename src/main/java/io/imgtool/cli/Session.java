package io.imgtool.cli;

import io.imgtool.images.Workspace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;

/** What a running command needs from the global options: its workspace, its streams, progress. */
final class Session {
  private final ImgtoolCommand root;
  private final CommandSpec spec;
  private Settings settings;
  private Progress progress;
  private TransferProgress transfers;

  /**
   * @param root the command's parent when it is a top-level command; null when it runs under a
   *     command group (image ls, manifest inspect), whose root is then found from the spec
   */
  Session(ImgtoolCommand root, CommandSpec spec) {
    this.root = root != null ? root : (ImgtoolCommand) spec.root().userObject();
    this.spec = spec;
  }

  Settings settings() throws IOException {
    if (settings == null) {
      settings = Settings.read(root.configPath());
    }
    return settings;
  }

  /** The workspace of a command that reaches no registry, or only the ones the settings allow. */
  Workspace workspace() throws IOException {
    return workspace(Set.of());
  }

  /**
   * The workspace for this command. {@code insecure} names the registries this command's
   * --insecure applies to (only those it targets, never every host it meets).
   */
  Workspace workspace(Set<String> insecure) throws IOException {
    Environment environment = environment();
    Progress events = progress();
    Workspace workspace = Workspace.builder(root.storePath(), environment.cacheHome().resolve("imgtool"))
        .settings(settings().insecureRegistries(), settings().registryMirrors())
        .registryTimeouts(settings().registryIdleTimeout(), settings().registryReadTimeout())
        .settingsFile(root.configPath())
        .uploadChunkSize(settings().uploadChunkSize())
        .certsDirectories(List.of(environment.configHome().resolve("imgtool/certs.d"),
            Path.of("/etc/docker/certs.d")))
        .insecure(insecure)
        .environment(environment.variables())
        .debug(root.debug() ? this::debug : null)
        .events(events)
        .transfers(transfers)
        .build();
    root.register(workspace);
    return workspace;
  }

  private synchronized void debug(String line) {
    err().println("DEBUG " + line);
    err().flush();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** The command's progress: one display for its status lines and its transfers. */
  Progress progress() {
    if (progress == null) {
      Screen screen = switch (progressMode()) {
        case TTY -> {
          LiveScreen live = new LiveScreen(err(), root.terminal());
          root.liveScreen(live);
          yield live;
        }
        case PLAIN -> new PlainScreen(err());
        default -> Screen.SILENT;
      };
      transfers = new TransferProgress(screen, root.terminal());
      progress = new Progress(screen, err(), transfers);
    }
    return progress;
  }

  /** -q: results only; on listing commands, IDs only. */
  boolean quiet() {
    return root.quiet;
  }

  ProgressMode progressMode() {
    return root.progressMode();
  }

  Environment environment() {
    return root.environment();
  }
}
