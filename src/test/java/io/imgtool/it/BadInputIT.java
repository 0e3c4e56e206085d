package io.imgtool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.cli.Cli;
import io.imgtool.testing.TarHeaders;
import io.imgtool.testing.Tars;
import io.imgtool.testing.TreeHash;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input: the right exit status, one or two lines on stderr that say what
 * failed, no stack trace, and the store byte-for-byte as it was.
 */
class BadInputIT {
  @TempDir static Path home;
  static Cli cli;
  static Path files;

  @BeforeAll
  static void setUp() throws IOException {
    cli = new Cli(home);
    files = Files.createDirectory(home.resolve("files"));
    Tars.create().dir("etc").file("etc/hosts", "127.0.0.1 localhost\n").write(files.resolve("base.tar"));
    cli.run("import", files.resolve("base.tar").toString(), "base:1").ok();
    Tars.create().file("ok.txt", "ok").write(files.resolve("ok.tar"));
    Files.writeString(files.resolve("notatar.txt"), "this is not a tar archive, just some text\n".repeat(20));
    byte[] gz = gzip(Tars.create().file("big.bin", new byte[200_000], 0100644).bytes());
    Files.write(files.resolve("truncated.tar.gz"), Arrays.copyOf(gz, gz.length / 2));
    Tars.create().file("../evil", "x").write(files.resolve("dotdot.tar"));
    Tars.create().file("/etc/evil", "x").write(files.resolve("absolute.tar"));
    Tars.create().hardLink("passwd", "../../etc/passwd").write(files.resolve("hardlink.tar"));
    Tars.create().file("etc/.wh..wh.hosts", "").write(files.resolve("whwh.tar"));
    Files.write(files.resolve("badsum.tar"),
        TarHeaders.flipModeBit(Tars.create().file("etc/a", "a").file("etc/b", "b").bytes(), "etc/b"));
    cli.run("save", "-o", files.resolve("saved.tar").toString(), "base:1").ok();
    Files.write(files.resolve("badsum-archive.tar"),
        TarHeaders.flipModeBit(Files.readAllBytes(files.resolve("saved.tar")), "manifest.json"));
  }

  static Stream<Arguments> badCommands() {
    return Stream.of(
        Arguments.of(2, "missing layer file", "commit --layer FILES/missing.tar base:1 x:1", "missing.tar"),
        Arguments.of(1, "not a tar", "commit --layer FILES/notatar.txt base:1 x:1", "notatar.txt"),
        Arguments.of(1, "truncated gzip", "commit --layer FILES/truncated.tar.gz base:1 x:1", "truncated.tar.gz"),
        Arguments.of(1, "dot-dot entry", "commit --layer FILES/dotdot.tar base:1 x:1", "../evil"),
        Arguments.of(1, "absolute entry", "commit --layer FILES/absolute.tar base:1 x:1", "/etc/evil"),
        Arguments.of(1, "hard link out of root", "commit --layer FILES/hardlink.tar base:1 x:1", "passwd"),
        Arguments.of(1, "whiteout of a whiteout", "commit --layer FILES/whwh.tar base:1 x:1", ".wh..wh.hosts"),
        Arguments.of(1, "header checksum wrong", "commit --layer FILES/badsum.tar base:1 x:1", "\"etc/b\" has a wrong checksum"),
        Arguments.of(1, "archive header checksum wrong", "load -i FILES/badsum-archive.tar", "\"manifest.json\" has a wrong checksum"),
        Arguments.of(1, "refused second layer", "commit --layer FILES/ok.tar --layer FILES/dotdot.tar base:1 x:1", "../evil"),
        Arguments.of(2, "unknown option", "commit --bogus base:1 x:1", "--bogus"),
        Arguments.of(2, "malformed target name", "commit --layer FILES/ok.tar base:1 Bad:Name", "Bad:Name"),
        Arguments.of(2, "malformed tag target", "tag base:1 repo:-bad", "repo:-bad"),
        Arguments.of(2, "unsupported -c instruction", "commit -c RUN_x base:1 x:1", "RUN"),
        Arguments.of(2, "malformed EXPOSE", "commit -c EXPOSE_abc base:1 x:1", "EXPOSE"),
        Arguments.of(2, "non-string in JSON form", "commit -c CMD_[\"a\",_1] base:1 x:1", "CMD"),
        Arguments.of(1, "unknown base", "commit --layer FILES/ok.tar nosuch:1 x:1", "nosuch"),
        Arguments.of(1, "unknown ID prefix", "tag deadbeef x:1", "deadbeef"),
        Arguments.of(1, "rmi of unknown name", "rmi nosuch:1", "nosuch"),
        Arguments.of(1, "inspect of unknown name", "inspect -f {{.Id}} nosuch", "nosuch"),
        Arguments.of(2, "import of missing file", "import FILES/missing.tar x:1", "missing.tar"),
        Arguments.of(1, "import of a non-tar", "import FILES/notatar.txt x:1", "notatar.txt"),
        Arguments.of(2, "bad progress mode", "--progress sideways images", "sideways"),
        Arguments.of(2, "zstd in Docker format", "commit --format docker --compression zstd --layer FILES/ok.tar base:1 x:1", "zstd"),
        Arguments.of(2, "bad timestamp", "commit --timestamp yesterday --layer FILES/ok.tar base:1 x:1", "yesterday"),
        Arguments.of(2, "no command", "", "command"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badCommands")
  void failsClearlyAndLeavesTheStoreAlone(int exit, String what, String command, String mentioned)
      throws IOException {
    String before = TreeHash.of(cli.store());
    String[] args = command.isEmpty() ? new String[0]
        : Arrays.stream(command.split(" "))
            .map(a -> a.replace("FILES", files.toString()).replace('_', ' '))
            .toArray(String[]::new);
    Cli.Result result = cli.run(args);
    assertEquals(exit, result.exit(), result.toString());
    assertEquals("", result.out(), "nothing on stdout");
    String err = result.err();
    assertTrue(err.contains(mentioned), "the error names " + mentioned + ": " + err);
    long lines = err.lines().filter(l -> !l.isBlank()).count();
    if (!command.isEmpty()) {
      assertTrue(lines >= 1 && lines <= 2, "one or two lines: " + err);
    }
    assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    assertEquals(before, TreeHash.of(cli.store()), "the store is unchanged");
  }

  @Test
  void aFailedFirstCommandCreatesNoStore() throws IOException {
    Cli fresh = new Cli(Files.createTempDirectory(home, "fresh"));
    Cli.Result result = fresh.run("import", files.resolve("dotdot.tar").toString(), "x:1");
    assertEquals(1, result.exit(), result.toString());
    assertFalse(Files.exists(fresh.store()), "no store directory was left behind");
  }

  @Test
  void debugShowsTheStackTrace() {
    Cli.Result result = cli.run("--debug", "commit", "--layer", files.resolve("dotdot.tar").toString(), "base:1", "x:1");
    assertEquals(1, result.exit());
    assertTrue(result.err().contains("\tat "), result.err());
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
