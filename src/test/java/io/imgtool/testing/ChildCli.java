package io.imgtool.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * imgtool as a real child process (the shaded jar), for what threads of one JVM cannot show:
 * file locks between processes, and kill -9 at any moment.
 */
public final class ChildCli {
  private ChildCli() {}

  public static String jar() {
    String jar = System.getProperty("imgtool.jar");
    Judges.requireThat(jar != null && Files.exists(Path.of(jar)), "the shaded jar is built by mvn package");
    return jar;
  }

  /** The command line, its environment added to this process's; stdout and stderr to {@code log}. */
  public static ProcessBuilder builder(Map<String, String> env, Path log, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", jar()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder;
  }

  /** Starts every command at once and waits for all; returns each one's exit code and output. */
  public static List<Tools.Result> runAll(List<ProcessBuilder> commands, List<byte[]> stdins) throws Exception {
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      Process process = commands.get(i).start();
      try (var in = process.getOutputStream()) {
        in.write(stdins.get(i));
      }
      processes.add(process);
    }
    List<Tools.Result> results = new ArrayList<>();
    for (int i = 0; i < processes.size(); i++) {
      int exit = processes.get(i).waitFor();
      String output = Files.readString(commands.get(i).redirectOutput().file().toPath());
      results.add(new Tools.Result(exit, output, ""));
    }
    return results;
  }
}
