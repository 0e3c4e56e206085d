package io.imgtool.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code imgtool}: the global options, accepted before or after the command name. The commands
 * are registered per command line by {@link Subcommands}.
 */
@Command(
    name = "imgtool",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = VersionProvider.class,
    description = "Build, tag and push container images without a Docker daemon.",
    synopsisSubcommandLabel = "COMMAND")
public final class ImgtoolCommand implements Runnable, AutoCloseable {
  private final Environment environment;
  /** What a command opened that must be released before the process ends (registry clients). */
  private final List<AutoCloseable> resources = new ArrayList<>();
  /** The terminal stderr is on; none for commands run in-process (tests, class-data training). */
  private Terminal terminal = Terminal.NONE;
  /** The live progress display of the running command, if it has one. */
  private LiveScreen liveScreen;

  @Spec CommandSpec spec;

  @Option(names = "--store", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "Local image store, an OCI image layout (env IMGTOOL_STORE; "
          + "default $XDG_DATA_HOME/imgtool or ~/.local/share/imgtool).")
  Path store;

  @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Settings file (env IMGTOOL_CONFIG; default ~/.config/imgtool/config.json).")
  Path config;

  @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
      description = "Results only: no progress from transfers and builds; IDs only from images and history.")
  boolean quiet;

  @Option(names = "--progress", paramLabel = "MODE", scope = ScopeType.INHERIT,
      defaultValue = "auto",
      description = "Progress on stderr: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ProgressMode progress;

  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "Show HTTP exchanges (secrets redacted) and stack traces.")
  boolean debug;

  /** Docker's -v, here only: a command's own -v may one day mean something else. */
  @Option(names = "-v", scope = ScopeType.LOCAL, description = "Print version information and exit (as -V).")
  boolean versionShort;

  public ImgtoolCommand(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void run() {
    if (versionShort) {
      spec.commandLine().printVersionHelp(spec.commandLine().getOut());
      return;
    }
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new UsageException("a command is required");
  }

  Environment environment() {
    return environment;
  }

  boolean debug() {
    return debug;
  }

  /** The store directory: --store, then $IMGTOOL_STORE, then the XDG default. */
  Path storePath() {
    if (store != null) {
      return store;
    }
    String env = environment.get("IMGTOOL_STORE");
    return env != null ? Path.of(env) : environment.dataHome().resolve("imgtool");
  }

  /** The settings file: --config, then $IMGTOOL_CONFIG, then the XDG default. */
  Path configPath() {
    if (config != null) {
      return config;
    }
    String env = environment.get("IMGTOOL_CONFIG");
    return env != null ? Path.of(env) : environment.configHome().resolve("imgtool/config.json");
  }

  /** The effective progress mode: --quiet wins, auto picks the live display when stderr is a terminal. */
  ProgressMode progressMode() {
    if (quiet) {
      return ProgressMode.NONE;
    }
    if (progress == ProgressMode.AUTO) {
      return terminal.isStderr() ? ProgressMode.TTY : ProgressMode.PLAIN;
    }
    return progress;
  }

  Terminal terminal() {
    return terminal;
  }

  void liveScreen(LiveScreen screen) {
    this.liveScreen = screen;
  }

  /** Stops redrawing progress, so that what is printed next (an error) stays below it. */
  void stopProgress() {
    if (liveScreen != null) {
      liveScreen.stop();
    }
  }

  void terminal(Terminal stderr) {
    this.terminal = stderr;
  }

  void register(AutoCloseable resource) {
    resources.add(resource);
  }

  /** Releases what the command opened; failures are of no interest once the command is done. */
  @Override
  public void close() {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        // the result is already out
      }
    }
    resources.clear();
  }
}
