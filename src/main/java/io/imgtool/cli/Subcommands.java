package io.imgtool.cli;

import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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
  static final List<Class<?>> ALL = List.of(
      ImportCommand.class, CommitCommand.class, TagCommand.class, ImagesCommand.class,
      HistoryCommand.class, InspectCommand.class, RmiCommand.class, PruneCommand.class,
      PullCommand.class, PushCommand.class, LoginCommand.class, LogoutCommand.class,
      CatalogCommand.class, TagsCommand.class, UnpackCommand.class, DiffCommand.class);

  private Subcommands() {}

  /** Adds to {@code root} the commands that {@code args} can reach. */
  static void register(CommandLine root, String[] args) {
    Optional<Class<?>> invoked = invoked(root.getCommandSpec(), args);
    if (invoked.isPresent()) {
      root.addSubcommand(invoked.get());
    } else {
      ALL.forEach(root::addSubcommand);
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
        if (option != null && option.arity().max() > 0) {
          i++; // its value
        }
        continue;
      }
      return named(arg);
    }
    return Optional.empty();
  }

  private static Optional<Class<?>> named(String name) {
    return ALL.stream().filter(c -> c.getAnnotation(Command.class).name().equals(name)).findFirst();
  }
}
