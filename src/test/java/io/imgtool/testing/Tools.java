package io.imgtool.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the independent tools the tests check imgtool against (skopeo, umoci, gzip). */
public final class Tools {
  private Tools() {}

  public record Result(int exit, String out, String err) {
    public Result orFail() {
      if (exit != 0) {
        throw new AssertionError("command failed (" + exit + "): " + err + out);
      }
      return this;
    }
  }

  public static boolean available(String tool) {
    return List.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":")).stream()
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  public static Result run(String... command) throws IOException, InterruptedException {
    return run(Map.of(), List.of(command));
  }

  /** {@link #run(String...)} with {@code env} added to this process's environment. */
  public static Result run(Map<String, String> env, List<String> command) throws IOException, InterruptedException {
    Output output = capture(env, command);
    return new Result(output.exit, new String(output.out, StandardCharsets.UTF_8),
        new String(output.err, StandardCharsets.UTF_8));
  }

  /**
   * The exact bytes a command writes on stdout (a String would not round-trip arbitrary bytes);
   * fails with its stderr when it exits non-zero.
   */
  public static byte[] output(String... command) throws IOException, InterruptedException {
    Output output = capture(Map.of(), List.of(command));
    if (output.exit != 0) {
      throw new AssertionError("command failed (" + output.exit + "): " + String.join(" ", command) + ": "
          + new String(output.err, StandardCharsets.UTF_8));
    }
    return output.out;
  }

  private record Output(int exit, byte[] out, byte[] err) {}

  private static Output capture(Map<String, String> env, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("tool", ".out");
    Path err = Files.createTempFile("tool", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", command));
      }
      return new Output(process.exitValue(), Files.readAllBytes(out), Files.readAllBytes(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
