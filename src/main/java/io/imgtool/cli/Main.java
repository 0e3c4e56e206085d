package io.imgtool.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** The entry point, and the one factory that wires exit codes and error handling. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (VersionProvider.isVersionRequest(args)) {
      // Before picocli and the warm-up: --version is a CLI's cheapest command and scripts call it
      // to probe for the tool; building the command model and JSON set-up tripled its time.
      PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
      for (String line : VersionProvider.lines()) {
        out.println(line);
      }
      out.flush();
      System.exit(out.checkError() ? 1 : 0);
    }
    WarmUp.start(args);
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    CommandLine commandLine = newCommandLine(out, err, new Environment(System.getenv(), System.in, System.out), args);
    ((ImgtoolCommand) commandLine.getCommand()).terminal(Terminal.ofProcess(System.getenv()));
    int status = commandLine.execute(args);
    out.flush();
    err.flush();
    ((ImgtoolCommand) commandLine.getCommand()).close();
    System.exit(status);
  }

  /**
   * A command line for {@code args}, writing results to {@code out} and everything else to
   * {@code err}. It knows the commands {@code args} can reach (see {@link Subcommands}).
   */
  public static CommandLine newCommandLine(
      PrintWriter out, PrintWriter err, Map<String, String> env, InputStream stdin, String... args) {
    return newCommandLine(out, err, new Environment(env, stdin), args);
  }

  /** As above, with standard output as bytes too, for the commands that write archives there. */
  public static CommandLine newCommandLine(PrintWriter out, PrintWriter err, Environment environment, String... args) {
    ImgtoolCommand root = new ImgtoolCommand(environment);
    CommandLine commandLine = new CommandLine(root);
    Subcommands.register(commandLine, args);
    HelpLayout.install(commandLine);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    // Objects, not lambdas: a lambda implementing a picocli interface would keep picocli out of
    // the launcher's class-data archive (its Java 5 classes must not be linked at dump time).
    ErrorHandler errors = new ErrorHandler(root);
    commandLine.setExecutionExceptionHandler(errors);
    commandLine.setParameterExceptionHandler(new UsageErrorHandler());
    commandLine.setExitCodeExceptionMapper(errors);
    return commandLine;
  }
}
