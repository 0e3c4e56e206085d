package io.imgtool.mutate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The argument vector of CMD or ENTRYPOINT: the JSON (exec) form as written, or the shell form
 * run by the image's SHELL (default {@code /bin/sh -c}; {@code cmd /S /C} on Windows, where
 * the command line is passed as one pre-escaped string).
 */
record CommandLine(List<String> args, boolean argsEscaped) {
  private static final List<String> LINUX_SHELL = List.of("/bin/sh", "-c");
  private static final List<String> WINDOWS_SHELL = List.of("cmd", "/S", "/C");

  static CommandLine resolve(Instruction ins, ContainerConfig config, String os) {
    if (ins.args().isEmpty()) {
      // Docker would store a bare shell here ("/bin/sh -c" and nothing to run).
      throw ins.invalid(ins.keyword() + " needs a command: " + ins.keyword()
          + " [\"executable\",\"arg\"] (exec form), " + ins.keyword()
          + " command line (shell form), or " + ins.keyword() + " [] for none");
    }
    Optional<List<String>> exec = JsonArgs.parse(ins, ins.args());
    if (exec.isPresent()) {
      return new CommandLine(exec.get(), false);
    }
    List<String> shell = config.strings("Shell");
    if (shell.isEmpty()) {
      shell = os.equals("windows") ? WINDOWS_SHELL : LINUX_SHELL;
    }
    if (os.equals("windows")) {
      return new CommandLine(List.of(String.join(" ", shell) + " " + ins.args()), true);
    }
    List<String> args = new ArrayList<>(shell);
    args.add(ins.args());
    return new CommandLine(args, false);
  }
}
