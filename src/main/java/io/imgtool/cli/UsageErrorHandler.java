package io.imgtool.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Unknown commands and options, wrong numbers of arguments and bad values: two lines in Docker's
 * words (the second a suggestion, or a pointer to --help), exit 2.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    CommandSpec spec = cmd.getCommandSpec();
    String name = spec.qualifiedName();
    List<String> unmatched = cmd.getUnmatchedArguments();
    String first = unmatched.isEmpty() ? null : unmatched.get(0);
    if (ex instanceof UnmatchedArgumentException && first != null && !isOption(first)
        && !spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
      err.println(name + ": '" + first + "' is not an " + name + " command.");
      err.println(suggestion(first, commandNames(spec)).orElse("See '" + name + " --help'."));
    } else if (first != null && isOption(first)) {
      err.println("Error: unknown option: " + first.replaceFirst("=.*", ""));
      err.println(suggestion(first.replaceFirst("=.*", ""), optionNames(spec)).orElse("See '" + name + " --help'."));
    } else if (ex instanceof UnmatchedArgumentException || isMissingArgument(ex)) {
      err.println("Error: \"" + name + "\" " + arity(spec) + ".");
      err.println("See '" + name + " --help'.");
    } else {
      err.println("Error: " + ex.getMessage());
      err.println("See '" + name + " --help'.");
    }
    err.flush();
    return ErrorHandler.USAGE;
  }

  private static boolean isOption(String arg) {
    return arg.startsWith("-") && arg.length() > 1 && !arg.equals("--");
  }

  private static boolean isMissingArgument(ParameterException ex) {
    return ex instanceof MissingParameterException missing
        && missing.getMissing().stream().allMatch(arg -> arg instanceof PositionalParamSpec);
  }

  /** Docker's phrases: requires exactly / at least / at least … and at most / accepts at most. */
  static String arity(CommandSpec spec) {
    int min = 0;
    int max = 0;
    boolean unbounded = false;
    for (PositionalParamSpec positional : spec.positionalParameters()) {
      min += positional.arity().min();
      unbounded |= positional.arity().isUnspecified() ? false : positional.arity().max() == Integer.MAX_VALUE;
      max += positional.arity().max() == Integer.MAX_VALUE ? 0 : positional.arity().max();
    }
    if (max == 0 && !unbounded) {
      return "accepts no arguments";
    }
    if (unbounded) {
      return "requires at least " + count(min);
    }
    if (min == max) {
      return "requires exactly " + count(min);
    }
    if (min == 0) {
      return "accepts at most " + count(max);
    }
    return "requires at least " + min + " and at most " + count(max);
  }

  private static String count(int n) {
    return n + (n == 1 ? " argument" : " arguments");
  }

  private static java.util.Optional<String> suggestion(String typed, List<String> names) {
    List<String> close = Suggestions.closest(typed, names);
    if (close.isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of("Did you mean: " + String.join(", ", close.subList(0, Math.min(3, close.size())))
        + "?");
  }

  private static List<String> commandNames(CommandSpec spec) {
    List<String> names = new ArrayList<>();
    spec.subcommands().forEach((key, sub) -> {
      if (!sub.getCommandSpec().usageMessage().hidden()) {
        names.add(key);
      }
    });
    return names;
  }

  private static List<String> optionNames(CommandSpec spec) {
    List<String> names = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      if (!option.hidden()) {
        for (String optionName : option.names()) {
          if (optionName.startsWith("--")) {
            names.add(optionName);
          }
        }
      }
    }
    return names;
  }
}
