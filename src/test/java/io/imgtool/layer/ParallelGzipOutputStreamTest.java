package io.imgtool.layer;

import io.imgtool.testing.Tars;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelGzipOutputStreamTest {
  private static final int BLOCK = ParallelGzipOutputStream.BLOCK_SIZE;
  private static final byte[] DATA = Tars.mixedContent(5 * BLOCK + 777, 42);

  @TempDir Path dir;

  @Test
  void sameBytesWhateverTheThreadCount() throws IOException {
    byte[] oneThread = gzip(DATA, 6, 1);

    assertArrayEquals(oneThread, gzip(DATA, 6, 4));
    assertArrayEquals(oneThread, gzip(DATA, 6, 3));
  }

  @Test
  void sameBytesWhateverTheWriteSizes() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gzip = new ParallelGzipOutputStream(out, 6, 2)) {
      int off = 0;
      for (int chunk = 1; off < DATA.length; chunk = chunk * 3 % 100_003 + 1) {
        int n = Math.min(chunk, DATA.length - off);
        gzip.write(DATA, off, n);
        off += n;
      }
    }

    assertArrayEquals(gzip(DATA, 6, 2), out.toByteArray());
  }

  @Test
  void javaGzipReadsItBack() throws IOException {
    assertArrayEquals(DATA, gunzip(gzip(DATA, 6, 4)));
  }

  @Test
  void gzipToolReadsItBack() throws Exception {
    assertArrayEquals(DATA, decompressWith(gzip(DATA, 6, 4), "gzip", "-d", "-c"));
  }

  @Test
  void pigzReadsItBack() throws Exception {
    assertArrayEquals(DATA, decompressWith(gzip(DATA, 9, 2), "pigz", "-d", "-c"));
  }

  @Test
  void emptyInputIsAValidGzip() throws Exception {
    byte[] empty = gzip(new byte[0], 6, 2);

    assertEquals(0, gunzip(empty).length);
    assertEquals(0, decompressWith(empty, "gzip", "-d", "-c").length);
  }

  @Test
  void inputOfWholeBlocksEndsWithAnEmptyFinalBlock() throws Exception {
    byte[] data = Tars.mixedContent(2 * BLOCK, 5);
    byte[] compressed = gzip(data, 6, 2);

    assertArrayEquals(data, gunzip(compressed));
    assertArrayEquals(data, decompressWith(compressed, "gzip", "-d", "-c"));
  }

  @Test
  void honoursTheLevel() throws IOException {
    byte[] fast = gzip(DATA, 1, 2);
    byte[] best = gzip(DATA, 9, 2);

    assertTrue(best.length < fast.length, best.length + " vs " + fast.length);
    assertArrayEquals(DATA, gunzip(fast));
    assertThrows(IllegalArgumentException.class, () -> new ParallelGzipOutputStream(OutputStream.nullOutputStream(), 0));
    assertThrows(IllegalArgumentException.class, () -> new ParallelGzipOutputStream(OutputStream.nullOutputStream(), 10));
  }

  @Test
  void compressesAboutAsWellAsSingleStreamGzip() throws IOException {
    ByteArrayOutputStream reference = new ByteArrayOutputStream();
    try (OutputStream gzip = new java.util.zip.GZIPOutputStream(reference)) {
      gzip.write(DATA);
    }

    assertTrue(gzip(DATA, 6, 2).length < reference.size() * 1.01, "priming with the window keeps the ratio");
  }

  /** The property {@link LayerBuilder} relies on for zstd: one output for any number of workers >= 1. */
  @Test
  void zstdOutputDoesNotDependOnTheWorkerCount() throws IOException {
    byte[] data = Tars.mixedContent(24 * BLOCK, 9);

    assertArrayEquals(zstd(data, 1), zstd(data, 3));
  }

  private static byte[] gzip(byte[] data, int level, int threads) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gzip = new ParallelGzipOutputStream(out, level, threads)) {
      gzip.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] zstd(byte[] data, int workers) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream zstd = new ZstdOutputStreamNoFinalizer(out, 3).setChecksum(true).setWorkers(workers)) {
      zstd.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] gzip) throws IOException {
    return new GZIPInputStream(new ByteArrayInputStream(gzip)).readAllBytes();
  }

  private byte[] decompressWith(byte[] compressed, String... command) throws Exception {
    Path input = Files.write(dir.resolve("in.gz"), compressed);
    Path output = dir.resolve("out");
    Process process = new ProcessBuilder(command)
        .redirectInput(input.toFile())
        .redirectOutput(output.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    assertEquals(0, process.waitFor(), String.join(" ", command) + " failed");
    return Files.readAllBytes(output);
  }
}
