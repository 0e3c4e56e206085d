package io.imgtool.layer;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.imgtool.image.Compression;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Opens a layer tar that may be plain, gzip or zstd, recognised by its first bytes as
 * {@code docker import} and containerd do. Decompression errors become
 * {@link InvalidLayerException}s that name the source.
 */
public final class CompressedInput {
  static final int BUFFER_SIZE = 64 * 1024;
  private static final byte[] GZIP = {0x1f, (byte) 0x8b};
  private static final byte[] ZSTD = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
  private static final byte[] XZ = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
  private static final byte[] BZIP2_BLOCK = {0x31, 0x41, 0x59, 0x26, 0x53, 0x59};
  private static final byte[] LZ4 = {0x04, 0x22, 0x4d, 0x18};
  private static final byte[] UNIX_COMPRESS = {0x1f, (byte) 0x9d};
  private static final int MAGIC_LENGTH = 10;

  private CompressedInput() {}

  /** A stream of the uncompressed tar; the caller closes {@code input}. */
  public static InputStream open(InputStream input, String source) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(input, BUFFER_SIZE);
    Compression compression = detect(buffered, source);
    return switch (compression) {
      case NONE -> buffered;
      case GZIP -> decompressing(gzip(buffered, source), compression, source);
      case ZSTD -> decompressing(new ZstdInputStreamNoFinalizer(buffered), compression, source);
    };
  }

  /**
   * Commons Compress rather than java.util.zip: GZIPInputStream decides whether another gzip member
   * follows from {@code available()}, so on a pipe it can stop at a member boundary and silently
   * drop the rest of a multi-member layer (JDK-7036144).
   */
  private static InputStream gzip(InputStream in, String source) throws IOException {
    try {
      return new GzipCompressorInputStream(in, true); // reads the first gzip header already
    } catch (IOException e) {
      throw invalid(e, Compression.GZIP, source);
    }
  }

  /** The compression of the stream, from its first bytes; the stream is left where it was. */
  public static Compression detect(BufferedInputStream in, String source) throws IOException {
    in.mark(MAGIC_LENGTH);
    byte[] magic = in.readNBytes(MAGIC_LENGTH);
    in.reset();
    if (startsWith(magic, GZIP)) {
      return Compression.GZIP;
    }
    if (startsWith(magic, ZSTD)) {
      return Compression.ZSTD;
    }
    String unsupported = unsupported(magic);
    if (unsupported != null) {
      throw new InvalidLayerException(source, unsupported + "-compressed input is not supported;"
          + " decompress it, or recompress it with gzip or zstd");
    }
    return Compression.NONE;
  }

  private static String unsupported(byte[] magic) {
    if (startsWith(magic, XZ)) {
      return "xz";
    }
    boolean bzip2 = magic.length == MAGIC_LENGTH && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h'
        && magic[3] >= '1' && magic[3] <= '9'
        && Arrays.equals(magic, 4, 10, BZIP2_BLOCK, 0, BZIP2_BLOCK.length);
    if (bzip2) {
      return "bzip2";
    }
    if (startsWith(magic, LZ4)) {
      return "lz4";
    }
    return startsWith(magic, UNIX_COMPRESS) ? "Unix compress (.Z)" : null;
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static InputStream decompressing(InputStream in, Compression compression, String source) {
    // Parsers read a 512-byte header at a time; the buffer keeps native calls per read few.
    return new BufferedInputStream(new DecompressionErrors(in, compression, source), BUFFER_SIZE);
  }

  /** Turns the decompressor's IOExceptions into messages about the layer. */
  private static final class DecompressionErrors extends FilterInputStream {
    private final Compression compression;
    private final String source;

    DecompressionErrors(InputStream in, Compression compression, String source) {
      super(in);
      this.compression = compression;
      this.source = source;
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (IOException e) {
        throw invalid(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw invalid(e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return in.skip(n);
      } catch (IOException e) {
        throw invalid(e);
      }
    }

    private InvalidLayerException invalid(IOException e) {
      return CompressedInput.invalid(e, compression, source);
    }
  }

  private static InvalidLayerException invalid(IOException e, Compression compression, String source) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof EOFException || message.toLowerCase(Locale.ROOT).contains("truncated")) {
      return new InvalidLayerException(source,
          "unexpected end of data: the " + compression.label() + " stream is truncated", e);
    }
    return new InvalidLayerException(source, "corrupt " + compression.label() + " data (" + message + ")", e);
  }
}
