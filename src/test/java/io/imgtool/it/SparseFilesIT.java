package io.imgtool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.cli.Cli;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tools;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sparse files in every format GNU tar writes (old GNU, PAX 0.0, 0.1 and 1.0) unpack with their
 * holes as holes, as GNU tar extracts them: the same content, a few blocks of disk, not the
 * file's length. The unpacked tree is what the image holds (diff finds no change).
 */
class SparseFilesIT {
  private static final long LENGTH = 64L << 20; // holes of 64 MiB with data around it
  @TempDir static Path dir;
  static Path source;

  @BeforeAll
  static void sparseFile() throws Exception {
    Judges.require("tar", "sha256sum");
    source = Files.createDirectories(dir.resolve("src")).resolve("holey");
    try (FileChannel file = FileChannel.open(source, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      file.write(ByteBuffer.wrap("head".getBytes(StandardCharsets.UTF_8)), 0);
      file.write(ByteBuffer.wrap("middle".getBytes(StandardCharsets.UTF_8)), 30_000_000);
      file.write(ByteBuffer.wrap("tail".getBytes(StandardCharsets.UTF_8)), LENGTH - 100_000);
    } // and a hole at the end: the last block stays unwritten
    Tools.run("truncate", "-s", Long.toString(LENGTH), source.toString()).orFail();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gnu", "posix 0.0", "posix 0.1", "posix 1.0"})
  void unpacksHolesAsHolesWithTheSameContentAsGnuTar(String format) throws Exception {
    String name = format.replace(' ', '-');
    Path tar = dir.resolve(name + ".tar");
    List<String> create = new java.util.ArrayList<>(List.of("tar", "-C", source.getParent().toString(), "--sparse",
        "--format=" + format.split(" ")[0]));
    if (format.contains(" ")) {
      create.add("--sparse-version=" + format.split(" ")[1]);
    }
    create.addAll(List.of("-cf", tar.toString(), "holey"));
    Tools.run(create.toArray(String[]::new)).orFail();
    assertTrue(Files.size(tar) < 64 * 1024, "tar made the file sparse: " + Files.size(tar));
    Path byTar = Files.createDirectories(dir.resolve("tar-" + name));
    Tools.run("tar", "-C", byTar.toString(), "-xf", tar.toString()).orFail();

    Cli cli = new Cli(Files.createDirectories(dir.resolve("home-" + name)));
    cli.run("import", tar.toString(), "sparse:1").ok();
    Path rootfs = dir.resolve("rootfs-" + name);
    cli.run("unpack", "sparse:1", rootfs.toString()).ok();

    Path unpacked = rootfs.resolve("holey");
    assertEquals(LENGTH, Files.size(unpacked));
    assertEquals(sha256(byTar.resolve("holey")), sha256(unpacked));
    long allocated = Long.parseLong(Tools.run("stat", "-c", "%b", unpacked.toString()).orFail().out().strip()) * 512;
    assertTrue(allocated <= 64 * 1024, "allocated " + allocated + " bytes for " + LENGTH + " of mostly holes");
    assertEquals("", cli.run("diff", "sparse:1", rootfs.toString()).ok().out(), "the tree is the image's");
  }

  private static String sha256(Path file) throws Exception {
    return Tools.run("sha256sum", file.toString()).orFail().out().split(" ")[0];
  }
}
