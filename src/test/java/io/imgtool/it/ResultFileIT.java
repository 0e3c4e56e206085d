package io.imgtool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.cli.Cli;
import io.imgtool.testing.Tars;
import io.imgtool.testing.TreeHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --iidfile and --digestfile that cannot be written fail the command before the store changes:
 * the README promises that a failed command leaves the store as it was.
 */
class ResultFileIT {
  @TempDir Path dir;

  @Test
  void anIidFileThatCannotBeWrittenLeavesTheStoreAsItWas() throws Exception {
    Cli cli = new Cli(dir.resolve("home"));
    Path tar = Tars.create().file("etc/app.conf", "port=80\n").write(dir.resolve("app.tar"));
    Path layer = Tars.create().file("etc/extra", "x\n").write(dir.resolve("extra.tar"));
    Path unwritable = dir.resolve("no-such-dir/iid");

    Cli.Result first = cli.run("import", "--iidfile", unwritable.toString(), tar.toString(), "app:1");
    assertEquals(1, first.exit(), first.toString());
    assertTrue(first.err().contains(unwritable.toString()), first.err());
    assertEquals("absent", TreeHash.of(cli.store()), "a failed first command leaves no store");

    cli.run("import", tar.toString(), "app:1").ok();
    String before = TreeHash.of(cli.store());
    Cli.Result commit = cli.run("commit", "--iidfile", unwritable.toString(), "--layer", layer.toString(),
        "app:1", "app:2");
    assertEquals(1, commit.exit(), commit.toString());
    assertTrue(commit.err().contains(unwritable.toString()) && !commit.err().contains("\tat "), commit.err());
    assertEquals(before, TreeHash.of(cli.store()));
    assertEquals("", cli.run("images", "-q", "app:2").ok().out());

    Path directory = Files.createDirectory(dir.resolve("a-directory"));
    Cli.Result onDirectory = cli.run("import", "--iidfile", directory.toString(), tar.toString(), "app:3");
    assertEquals(1, onDirectory.exit(), onDirectory.toString());
    assertTrue(onDirectory.err().contains("Is a directory"), onDirectory.err());
    assertEquals(before, TreeHash.of(cli.store()));
  }

  @Test
  void aWrittenIidFileReplacesTheOldOneAndLeavesNoTempFile() throws Exception {
    Cli cli = new Cli(dir.resolve("home"));
    Path tar = Tars.create().file("etc/app.conf", "port=80\n").write(dir.resolve("app.tar"));
    Path out = Files.createDirectory(dir.resolve("out"));
    Path iid = Files.writeString(out.resolve("iid"), "an older, longer content than any image ID is, by far......");

    String id = cli.run("import", "--iidfile", iid.toString(), tar.toString(), "app:1").ok().line();

    assertEquals(id, Files.readString(iid));
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(1, files.count(), "only the iidfile is left in its directory");
    }
  }
}
