package io.imgtool.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.image.Compression;
import io.imgtool.testing.Judges;
import io.imgtool.testing.Tars;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ISA-L engine behind gzip layers, and zlib when ISA-L cannot be loaded. */
class GzipEngineTest {
  private static final int BLOCK = ParallelGzipOutputStream.BLOCK_SIZE;
  private static final byte[] DATA = Tars.mixedContent(5 * BLOCK + 777, 42);
  private static final byte[] TAR = Tars.create()
      .dir("usr/")
      .file("usr/big", Tars.mixedContent(3 * BLOCK + 4321, 7))
      .file("usr/small", "hello\n")
      .bytes();

  @TempDir Path dir;

  @BeforeEach
  void isalIsInstalled() {
    Judges.requireThat(Isal.available(), "ISA-L is not loadable (Debian package libisal2; "
        + "scripts/install-test-deps installs it): " + Isal.failure());
  }

  @Test
  void isalIsThePreferredEngine() {
    assertEquals("ISA-L level 3", GzipEngine.preferred().name());
    assertEquals("ISA-L level 3", new LayerBuilder(Compression.GZIP, -1).gzipEngine());
  }

  @Test
  void isalBytesDoNotDependOnTheThreadCount() throws IOException {
    byte[] oneThread = gzip(GzipEngine.isal(), DATA, 1);

    assertArrayEquals(oneThread, gzip(GzipEngine.isal(), DATA, 2));
    assertArrayEquals(oneThread, gzip(GzipEngine.isal(), DATA, 5));
  }

  @Test
  void javaGzipReadsIsalOutputBack() throws IOException {
    assertArrayEquals(DATA, gunzip(gzip(GzipEngine.isal(), DATA, 2)));
  }

  @Test
  void gzipToolChecksAndReadsIsalOutputBack() throws Exception {
    Path blob = Files.write(dir.resolve("blob.gz"), gzip(GzipEngine.isal(), DATA, 2));

    assertEquals(0, run("gzip", "-t", blob.toString()), "gzip -t");
    assertArrayEquals(DATA, gunzip(Files.readAllBytes(blob)));
  }

  /** One gzip member, not a concatenation of members: readers that stop at the first one still get everything. */
  @Test
  void isalOutputIsOneGzipMember() throws IOException {
    byte[] blob = gzip(GzipEngine.isal(), DATA, 2);
    java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
    inflater.setInput(blob, 10, blob.length - 10);
    byte[] out = new byte[DATA.length + 1];
    int n;
    try {
      n = inflater.inflate(out);
    } catch (java.util.zip.DataFormatException e) {
      throw new AssertionError(e);
    }

    assertEquals(DATA.length, n);
    assertTrue(inflater.finished());
    assertEquals(8, inflater.getRemaining(), "only the CRC-32/ISIZE trailer follows the deflate stream");
  }

  @Test
  void emptyAndWholeBlockInputsAreValid() throws IOException {
    assertEquals(0, gunzip(gzip(GzipEngine.isal(), new byte[0], 2)).length);
    byte[] whole = Tars.mixedContent(2 * BLOCK, 3);
    assertArrayEquals(whole, gunzip(gzip(GzipEngine.isal(), whole, 2)));
  }

  @Test
  void isalIsMuchSmallerThanStoredAndCloseToZlib() throws IOException {
    int isal = gzip(GzipEngine.isal(), DATA, 2).length;
    int zlib = gzip(GzipEngine.zlib(6), DATA, 2).length;

    assertTrue(isal < zlib * 1.10, "ISA-L " + isal + " vs zlib " + zlib);
  }

  /** Without ISA-L a layer is exactly what imgtool wrote before ISA-L: zlib level 6. */
  @Test
  void withoutIsalTheLayerIsZlibLevel6() throws IOException {
    GzipEngine fallback = GzipEngine.preferred(false);
    ByteArrayOutputStream viaBuilder = new ByteArrayOutputStream();
    BuiltLayer layer = new LayerBuilder(Compression.GZIP, -1, fallback)
        .build(new ByteArrayInputStream(TAR), viaBuilder, "layer.tar");

    assertEquals("zlib level 6", fallback.name());
    assertArrayEquals(gzip(GzipEngine.zlib(6), TAR, 3), viaBuilder.toByteArray());
    assertArrayEquals(TAR, gunzip(viaBuilder.toByteArray()));
    assertEquals(layer.diffId(), new LayerBuilder(Compression.GZIP, -1)
        .build(new ByteArrayInputStream(TAR), OutputStream.nullOutputStream(), "layer.tar").diffId());
  }

  @Test
  void anExplicitLevelIsZlibsLevel() {
    assertEquals("zlib level 6", new LayerBuilder(Compression.GZIP, 6).gzipEngine());
    assertEquals("zlib level 1", new LayerBuilder(Compression.GZIP, 1).gzipEngine());
  }

  private static byte[] gzip(GzipEngine engine, byte[] data, int threads) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gzip = new ParallelGzipOutputStream(out, engine, threads)) {
      gzip.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] gzip) throws IOException {
    return new GZIPInputStream(new ByteArrayInputStream(gzip)).readAllBytes();
  }

  private static int run(String... command) throws Exception {
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }
}
