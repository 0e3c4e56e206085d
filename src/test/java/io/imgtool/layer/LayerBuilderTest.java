package io.imgtool.layer;

import io.imgtool.testing.Tars;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdInputStream;
import io.imgtool.image.Compression;
import io.imgtool.image.Digest;
import io.imgtool.image.Format;
import io.imgtool.image.MediaType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LayerBuilderTest {
  private static final byte[] TAR = Tars.create()
      .dir("etc/")
      .file("etc/hostname", "imgtool\n")
      .file("usr/share/doc/big", Tars.mixedContent(3 * ParallelGzipOutputStream.BLOCK_SIZE + 12345, 1))
      .symlink("bin", "usr/bin")
      .file("etc/.wh.motd", "")
      .bytes();

  @ParameterizedTest
  @EnumSource(Compression.class)
  void diffIdIsSha256OfTheTarWhateverTheInputCompression(Compression input) throws IOException {
    BuiltLayer layer = build(Compression.GZIP, compress(TAR, input), new ByteArrayOutputStream());

    assertEquals(Digest.sha256(TAR), layer.diffId());
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void digestAndSizeDescribeTheBlobWritten(Compression output) throws IOException {
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    BuiltLayer layer = build(output, TAR, blob);

    assertEquals(Digest.sha256(blob.toByteArray()), layer.digest());
    assertEquals(blob.size(), layer.size());
    assertEquals(output, layer.compression());
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void blobDecompressesToTheInputTarByteForByte(Compression output) throws IOException {
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    build(output, Tars.gzip(TAR), blob);

    assertArrayEquals(TAR, decompress(blob.toByteArray(), output));
  }

  @Test
  void reportsTheMediaTypeOfItsCompression() throws IOException {
    assertEquals(MediaType.OCI_LAYER_ZSTD,
        build(Compression.ZSTD, TAR, new ByteArrayOutputStream()).mediaType(Format.OCI));
    assertEquals(MediaType.DOCKER_LAYER_GZIP,
        build(Compression.GZIP, TAR, new ByteArrayOutputStream()).mediaType(Format.DOCKER));
  }

  @Test
  void sameInputGivesTheSameDigest() throws IOException {
    BuiltLayer first = build(Compression.GZIP, TAR, new ByteArrayOutputStream());
    BuiltLayer second = build(Compression.GZIP, Tars.zstd(TAR), new ByteArrayOutputStream());

    assertEquals(first, second);
  }

  @Test
  void readsEveryMemberOfAMultiMemberGzipFromAPipe() throws IOException {
    int half = TAR.length / 2 + 100; // mid-entry
    byte[] twoMembers = concat(Tars.gzip(Arrays.copyOf(TAR, half)), Tars.gzip(Arrays.copyOfRange(TAR, half, TAR.length)));
    // On a pipe nothing is "available" between members; that must not end the layer (JDK-7036144).
    InputStream pipe = new java.io.FilterInputStream(new ByteArrayInputStream(twoMembers)) {
      @Override
      public int available() {
        return 0;
      }
    };

    BuiltLayer layer = new LayerBuilder(Compression.NONE, -1).build(pipe, new ByteArrayOutputStream(), "-");

    assertEquals(Digest.sha256(TAR), layer.diffId());
  }

  @Test
  void passesLongPaxNamesThrough() throws IOException {
    String longName = "opt/" + "very-long-directory-name/".repeat(12) + "file.txt";
    byte[] tar = Tars.create().file(longName, "content").bytes();
    ByteArrayOutputStream blob = new ByteArrayOutputStream();

    build(Compression.GZIP, tar, blob);

    try (TarArchiveInputStream entries = new TarArchiveInputStream(
        new GZIPInputStream(new ByteArrayInputStream(blob.toByteArray())))) {
      TarArchiveEntry entry = entries.getNextEntry();
      assertEquals(longName, entry.getName());
    }
  }

  @Test
  void keepsTrailingBlocksAfterTheEndOfArchive() throws IOException {
    // GNU tar pads to 10 KiB records; the padding is part of the tar the diffID covers.
    byte[] padded = Arrays.copyOf(TAR, TAR.length + 20 * 512);
    ByteArrayOutputStream blob = new ByteArrayOutputStream();

    BuiltLayer layer = build(Compression.NONE, padded, blob);

    assertEquals(Digest.sha256(padded), layer.diffId());
    assertArrayEquals(padded, blob.toByteArray());
  }

  @Test
  void rejectsAnOutOfRangeLevel() {
    assertThrows(IllegalArgumentException.class, () -> new LayerBuilder(Compression.GZIP, 10));
    assertThrows(IllegalArgumentException.class, () -> new LayerBuilder(Compression.ZSTD, 23));
  }

  @Test
  void aFailingBlobIsAnIoErrorNotAnInvalidLayer() {
    OutputStream full = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("No space left on device");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("No space left on device");
      }
    };

    IOException e = assertThrows(IOException.class, () -> build(Compression.NONE, TAR, full));
    assertTrue(e.getMessage().contains("No space left"), e.getMessage());
  }

  @Test
  void streamsALargeLayerThroughBoundedMemory() throws Exception {
    long contentSize = 64L << 20;
    GeneratedTar tar = new GeneratedTar(contentSize);
    CountingDigestOutputStream blob = new CountingDigestOutputStream(OutputStream.nullOutputStream());

    BuiltLayer layer = new LayerBuilder(Compression.GZIP, 1).build(tar, blob, "generated.tar");

    assertEquals(tar.digest(), layer.diffId());
    assertEquals(blob.size(), layer.size());
    assertTrue(tar.length() > contentSize);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  static BuiltLayer build(Compression output, byte[] input, OutputStream blob) throws IOException {
    return new LayerBuilder(output, -1).build(new ByteArrayInputStream(input), blob, "layer.tar");
  }

  static byte[] compress(byte[] tar, Compression compression) throws IOException {
    return switch (compression) {
      case NONE -> tar;
      case GZIP -> Tars.gzip(tar);
      case ZSTD -> Tars.zstd(tar);
    };
  }

  private static byte[] decompress(byte[] blob, Compression compression) throws IOException {
    InputStream in = new ByteArrayInputStream(blob);
    return switch (compression) {
      case NONE -> blob;
      case GZIP -> new GZIPInputStream(in).readAllBytes();
      case ZSTD -> new ZstdInputStream(in).readAllBytes();
    };
  }

  /**
   * A one-file tar produced on the fly, never stored: header, {@code size} bytes of content that
   * compress a little, padding and the end-of-archive blocks. Records its own sha256.
   */
  private static final class GeneratedTar extends InputStream {
    private final java.security.MessageDigest sha256 = Digest.newSha256();
    private final byte[] header;
    private final long contentEnd;
    private final long end;
    private final byte[] pattern = new byte[8192];
    private long position;

    GeneratedTar(long size) {
      TarArchiveEntry entry = new TarArchiveEntry("data/big.bin");
      entry.setSize(size);
      header = new byte[512];
      entry.writeEntryHeader(header);
      contentEnd = 512 + size;
      end = 512 + ((size + 511) / 512) * 512 + 1024;
      new Random(7).nextBytes(pattern);
      Arrays.fill(pattern, 0, 4096, (byte) 'x');
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= end) {
        return -1;
      }
      int n = (int) Math.min(len, end - position);
      for (int i = 0; i < n; i++, position++) {
        b[off + i] = byteAt(position);
      }
      sha256.update(b, off, n);
      return n;
    }

    private byte byteAt(long p) {
      if (p < 512) {
        return header[(int) p];
      }
      return p < contentEnd ? pattern[(int) ((p - 512) % pattern.length)] : 0;
    }

    Digest digest() {
      return Digest.fromSha256(sha256.digest());
    }

    long length() {
      return end;
    }
  }
}
