package io.imgtool.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code --help} laid out as Docker's: usage, description, aliases, arguments, commands, the
 * command's own options, then the global ones apart. Text is wrapped at spaces only, so a path
 * or an example is never cut in two; a word longer than the line keeps a line of its own.
 */
final class HelpLayout implements IHelpSectionRenderer {
  private static final String KEY = "imgtool";
  private static final int MAX_NAME_COLUMN = 30;

  /** Uses this layout for {@code commandLine} and every command registered on it by now. */
  static void install(CommandLine commandLine) {
    commandLine.setUsageHelpAutoWidth(true);
    commandLine.setHelpSectionKeys(List.of(KEY));
    commandLine.setHelpSectionMap(Map.of(KEY, new HelpLayout()));
  }

  @Override
  public String render(Help help) {
    CommandSpec spec = help.commandSpec();
    int width = spec.usageMessage().width();
    StringBuilder out = new StringBuilder();
    out.append("Usage: ").append(synopsis(spec)).append("\n\n");
    for (String paragraph : spec.usageMessage().description()) {
      wrap(out, paragraph, 0, 0, width);
    }
    List<String> aliases = aliases(spec);
    if (aliases.size() > 1) {
      out.append("\nAliases:\n  ");
      wrap(out, String.join(", ", aliases), 2, 2, width);
    }
    List<String[]> arguments = new ArrayList<>();
    for (PositionalParamSpec positional : spec.positionalParameters()) {
      if (!positional.hidden()) {
        arguments.add(new String[] {positional.paramLabel(), text(positional)});
      }
    }
    section(out, "Arguments", arguments, width);
    List<String[]> commands = new ArrayList<>();
    spec.subcommands().values().stream().distinct().forEach(sub -> {
      CommandSpec subSpec = sub.getCommandSpec();
      List<String> names = new ArrayList<>();
      names.add(subSpec.name());
      names.addAll(List.of(subSpec.aliases()));
      String[] description = subSpec.usageMessage().description();
      commands.add(new String[] {String.join(", ", names), description.length == 0 ? "" : description[0]});
    });
    section(out, "Commands", commands, width);
    List<OptionSpec> own = new ArrayList<>();
    List<OptionSpec> global = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      if (!option.hidden()) {
        boolean isGlobal = option.inherited() || option.usageHelp() || option.versionHelp();
        (isGlobal && spec.parent() != null ? global : own).add(option);
      }
    }
    section(out, "Options", rows(own), width);
    section(out, "Global options", rows(global), width);
    if (!commands.isEmpty()) {
      out.append("\nRun '").append(spec.qualifiedName()).append(" COMMAND --help' for more information on a command.\n");
    }
    return out.toString();
  }

  private static String synopsis(CommandSpec spec) {
    StringBuilder synopsis = new StringBuilder(spec.qualifiedName());
    if (!spec.options().isEmpty()) {
      synopsis.append(" [OPTIONS]");
    }
    for (PositionalParamSpec positional : spec.positionalParameters()) {
      String label = positional.paramLabel() + (positional.arity().max() > 1 ? "..." : "");
      synopsis.append(' ').append(positional.arity().min() == 0 && !label.startsWith("[") ? "[" + label + "]" : label);
    }
    if (!spec.subcommands().isEmpty()) {
      synopsis.append(" COMMAND");
    }
    return synopsis.toString();
  }

  /** Every name a command is run by: {@code imgtool image ls}, {@code imgtool image list}, {@code imgtool images}. */
  private static List<String> aliases(CommandSpec spec) {
    List<String> names = new ArrayList<>();
    CommandSpec parent = spec.parent();
    if (parent == null) {
      return names;
    }
    if (parent.name().equals(Subcommands.IMAGE) && parent.parent() != null) {
      names.add(spec.qualifiedName());
      for (String alias : spec.aliases()) {
        names.add(parent.qualifiedName() + " " + alias);
      }
      Subcommands.ALL.forEach((name, type) -> {
        if (type.isInstance(spec.userObject())) {
          names.add(parent.parent().qualifiedName() + " " + name);
        }
      });
      return names;
    }
    Subcommands.IMAGE_COMMANDS.forEach((name, type) -> {
      if (type.isInstance(spec.userObject())) {
        names.add(parent.qualifiedName() + " " + Subcommands.IMAGE + " " + name);
        for (String alias : Subcommands.IMAGE_ALIASES.getOrDefault(name, new String[0])) {
          names.add(parent.qualifiedName() + " " + Subcommands.IMAGE + " " + alias);
        }
      }
    });
    if (!names.isEmpty()) {
      names.add(spec.qualifiedName());
    }
    return names;
  }

  /** Options sorted by their long name, as Docker lists flags; the first name column holds -x. */
  private static List<String[]> rows(List<OptionSpec> options) {
    List<OptionSpec> sorted = new ArrayList<>(options);
    sorted.sort(Comparator.comparing(option -> option.longestName().replaceFirst("^-+", "").toLowerCase(Locale.ROOT)));
    List<String[]> rows = new ArrayList<>();
    for (OptionSpec option : sorted) {
      String shortName = null;
      List<String> longNames = new ArrayList<>();
      for (String name : option.names()) {
        if (name.length() == 2 && shortName == null) {
          shortName = name;
        } else {
          longNames.add(name);
        }
      }
      StringBuilder names = new StringBuilder(shortName == null ? "    " : shortName + (longNames.isEmpty() ? "" : ", "));
      names.append(String.join(", ", longNames));
      if (option.arity().max() > 0) {
        names.append(' ').append(option.paramLabel());
      }
      rows.add(new String[] {names.toString(), text(option)});
    }
    return rows;
  }

  private static String text(ArgSpec arg) {
    return String.join(" ", arg.renderedDescription());
  }

  private static void section(StringBuilder out, String heading, List<String[]> rows, int width) {
    if (rows.isEmpty()) {
      return;
    }
    out.append('\n').append(heading).append(":\n");
    int column = 0;
    for (String[] row : rows) {
      if (row[0].length() <= MAX_NAME_COLUMN) {
        column = Math.max(column, row[0].length());
      }
    }
    int indent = 2 + column + 3;
    for (String[] row : rows) {
      out.append("  ").append(row[0]);
      if (row[1].isEmpty()) {
        out.append('\n');
      } else if (row[0].length() > column) {
        out.append('\n').append(" ".repeat(indent));
        wrap(out, row[1], indent, indent, width);
      } else {
        out.append(" ".repeat(indent - 2 - row[0].length()));
        wrap(out, row[1], indent, indent, width);
      }
    }
  }

  /**
   * Appends {@code text} wrapped at spaces, from {@code column} of the current line, the next
   * lines indented by {@code rest}; a word never breaks.
   */
  static void wrap(StringBuilder out, String text, int start, int rest, int width) {
    int column = start;
    boolean lineStart = true;
    for (String word : text.strip().split(" +")) {
      int length = word.codePointCount(0, word.length());
      if (!lineStart && column + 1 + length > width) {
        out.append('\n').append(" ".repeat(rest));
        column = rest;
        lineStart = true;
      }
      if (!lineStart) {
        out.append(' ');
        column++;
      }
      out.append(word);
      column += length;
      lineStart = false;
    }
    out.append('\n');
  }
}
