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
 * A command line that names a command gets that command alone; anything else (no command,
 * {@code --help}, a typo, an argument file) gets all of them, so usage and suggestions are whole.
 */
final class Subcommands {
  /**
   * The commands by the names in their {@code @Command} annotations, in usage order. The names
   * are repeated here because reading every command's annotation costs what this class saves
   * (SubcommandsTest checks that they agree).
   */
  static final Map<String, Class<?>> ALL;

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
    all.put("pull", PullCommand.class);
    all.put("push", PushCommand.class);
    all.put("login", LoginCommand.class);
    all.put("logout", LogoutCommand.class);
    all.put("catalog", CatalogCommand.class);
    all.put("tags", TagsCommand.class);
    all.put("unpack", UnpackCommand.class);
    all.put("diff", DiffCommand.class);
    all.put("save", SaveCommand.class);
    all.put("load", LoadCommand.class);
    all.put("copy", CopyCommand.class);
    ALL = Collections.unmodifiableMap(all);
  }

  private Subcommands() {}

  /** Adds to {@code root} the commands that {@code args} can reach. */
  static void register(CommandLine root, String[] args) {
    Optional<Class<?>> invoked = invoked(root.getCommandSpec(), args);
    if (invoked.isPresent()) {
      root.addSubcommand(invoked.get());
    } else {
      // A loop, not root::addSubcommand: a method reference on a picocli type would keep picocli
      // out of the launcher's class-data archive (its Java 5 classes must not be linked at dump).
      for (Class<?> command : ALL.values()) {
        root.addSubcommand(command);
      }
    }
  }

  /**
   * The command that picocli will run for {@code args}: the first argument that is neither a
   * root option nor the value of one. Empty when that is not certain.
   */
  static Optional<Class<?>> invoked(CommandSpec rootSpec, String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("@") || arg.equals("--")) {
        return Optional.empty();
      }
      if (arg.startsWith("-")) {
        OptionSpec option = rootSpec.findOption(arg);
        if (option == null && !arg.contains("=")) {
          return Optional.empty(); // an unknown option or a cluster: leave it to picocli
        }
        if (option != null && (option.usageHelp() || option.versionHelp())) {
          return Optional.empty(); // the root's own help lists every command
        }
        if (option != null && option.arity().max() > 0) {
          i++; // its value
        }
        continue;
      }
      return Optional.ofNullable(ALL.get(arg));
    }
    return Optional.empty();
  }
}
