package io.imgtool.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** Unknown options, missing arguments and bad values: one line, a pointer to --help, exit 2. */
final class UsageErrorHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("Error: " + ex.getMessage());
    err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
    return ErrorHandler.USAGE;
  }
}
