package io.imgtool.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    Path out = Files.createTempFile("tool", ".out");
    Path err = Files.createTempFile("tool", ".err");
    try {
      Process process = new ProcessBuilder(command)
          .redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", command));
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
