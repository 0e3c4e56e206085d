package io.imgtool.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * imgtool's commands, registered on the root only when a command line needs them. picocli
 * reflects over every registered command when the root is built, and a CLI pays that on every
 * run: a third of a short command's time went to describing fifteen commands it did not run.
 * A command line that names a command gets that command alone; {@code --version} gets none;
 * anything else (no command, {@code --help}, a typo, an argument file) gets all of them, so
 * usage and suggestions are whole.
 */
final class Subcommands {
  /** Docker's management command for images: {@code imgtool image ls} is {@code imgtool images}. */
  static final String IMAGE = "image";

  /**
   * The commands by the names in their {@code @Command} annotations, in usage order. The names
   * are repeated here because reading every command's annotation costs what this class saves
   * (SubcommandsTest checks that they agree).
   */
  static final Map<String, Class<?>> ALL;

  /** {@code image} subcommands by Docker's names; each has the aliases of {@link #IMAGE_ALIASES}. */
  static final Map<String, Class<?>> IMAGE_COMMANDS;

  static final Map<String, String[]> IMAGE_ALIASES = Map.of("ls", new String[] {"list"}, "rm", new String[] {"remove"});

  static {
    Map<String, Class<?>> all = new LinkedHashMap<>();
    all.put("import", ImportCommand.class);
    all.put("commit", CommitCommand.class);
    all.put("tag", TagCommand.class);
    all.put("images", ImagesCommand.class);
    all.put("history", HistoryCommand.class);
    all.put("inspect", InspectCommand.class);
    all.put("rmi", RmiCommand.class);
    all.put("prune", PruneCommand.class);
    all.put("check", CheckCommand.class);
    all.put("pull", PullCommand.class);
    all.put("push", PushCommand.class);
    all.put("login", LoginCommand.class);
    all.put("logout", LogoutCommand.class);
    all.put("catalog", CatalogCommand.class);
    all.put("tags", TagsCommand.class);
    all.put("manifest", ManifestCommand.class);
    all.put("unpack", UnpackCommand.class);
    all.put("diff", DiffCommand.class);
    all.put("save", SaveCommand.class);
    all.put("load", LoadCommand.class);
    all.put("copy", CopyCommand.class);
    all.put("version", VersionCommand.class);
    all.put("completion", CompletionCommand.class);
    ALL = Collections.unmodifiableMap(all);

    Map<String, Class<?>> image = new LinkedHashMap<>();
    image.put("ls", ImagesCommand.class);
    image.put("inspect", InspectCommand.class);
    image.put("history", HistoryCommand.class);
    image.put("tag", TagCommand.class);
    image.put("rm", RmiCommand.class);
    image.put("prune", PruneCommand.class);
    image.put("pull", PullCommand.class);
    image.put("push", PushCommand.class);
    image.put("import", ImportCommand.class);
    image.put("save", SaveCommand.class);
    image.put("load", LoadCommand.class);
    IMAGE_COMMANDS = Collections.unmodifiableMap(image);
  }

  private Subcommands() {}

  /** Adds to {@code root} the commands that {@code args} can reach. */
  static void register(CommandLine root, String[] args) {
    CommandSpec spec = root.getCommandSpec();
    int at = commandIndex(spec, args, 0);
    if (at == VERSION) {
      return;
    }
    String name = at >= 0 ? args[at] : null;
    if (IMAGE.equals(name)) {
      int sub = commandIndex(spec, args, at + 1);
      root.addSubcommand(IMAGE, imageGroup(sub >= 0 ? args[sub] : null));
      return;
    }
    Class<?> invoked = name == null ? null : ALL.get(name);
    if (invoked != null) {
      root.addSubcommand(invoked);
      return;
    }
    // A loop, not root::addSubcommand: a method reference on a picocli type would keep picocli out
    // of the launcher's class-data archive (its Java 5 classes must not be linked at dump).
    for (Class<?> command : ALL.values()) {
      root.addSubcommand(command);
    }
    root.addSubcommand(IMAGE, imageGroup(null));
  }

  /**
   * {@code image}: a group without an object of its own (its subcommands find the root through
   * their spec), holding the subcommand named, or all of them when none or an unknown one is.
   */
  private static CommandLine imageGroup(String subcommand) {
    CommandSpec spec = CommandSpec.create().name(IMAGE);
    spec.usageMessage().description("Manage images: Docker's image commands (image ls is images, image rm is rmi).");
    CommandLine group = new CommandLine(spec);
    Class<?> named = IMAGE_COMMANDS.get(aliasTarget(subcommand));
    for (Map.Entry<String, Class<?>> command : IMAGE_COMMANDS.entrySet()) {
      if (named == null || command.getValue() == named) {
        CommandLine sub = new CommandLine(command.getValue());
        sub.getCommandSpec().name(command.getKey()).aliases(IMAGE_ALIASES.getOrDefault(command.getKey(), new String[0]));
        group.addSubcommand(command.getKey(), sub);
      }
    }
    return group;
  }

  private static String aliasTarget(String name) {
    if (name == null) {
      return null;
    }
    for (Map.Entry<String, String[]> alias : IMAGE_ALIASES.entrySet()) {
      for (String other : alias.getValue()) {
        if (other.equals(name)) {
          return alias.getKey();
        }
      }
    }
    return name;
  }

  private static final int VERSION = -2;

  /**
   * The index of the first argument from {@code from} that is neither a root option nor the
   * value of one: the command picocli will run. -1 when that is not certain; {@link #VERSION}
   * for a version option before any command.
   */
  static int commandIndex(CommandSpec rootSpec, String[] args, int from) {
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("@") || arg.equals("--")) {
        return -1;
      }
      if (arg.startsWith("-")) {
        OptionSpec option = rootSpec.findOption(arg);
        if (option == null && !arg.contains("=")) {
          return -1; // an unknown option or a cluster: leave it to picocli
        }
        if (option != null && (option.versionHelp() || arg.equals("-v")) && from == 0) {
          return VERSION; // prints the version, and no command is needed for that
        }
        if (option != null && option.usageHelp()) {
          return -1; // the root's own help lists every command
        }
        if (option != null && option.arity().max() > 0) {
          i++; // its value
        }
        continue;
      }
      return i;
    }
    return -1;
  }

  /** The command that picocli will run for {@code args}; empty when that is not certain. */
  static Optional<Class<?>> invoked(CommandSpec rootSpec, String[] args) {
    int at = commandIndex(rootSpec, args, 0);
    return at < 0 ? Optional.empty() : Optional.ofNullable(ALL.get(args[at]));
  }
}
