package io.imgtool.layer;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.imgtool.image.Compression;
import io.imgtool.image.Digest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Builds a layer blob from a tar changeset in one streaming pass:
 * input (plain, gzip or zstd) → uncompressed tar → [sha256 = diffID] → compressor →
 * [sha256, size = blob digest] → blob. A {@link LayerValidator} parses the tar on the way through a
 * tee, so the blob holds the input tar byte for byte, and only a bounded amount of it is ever in memory.
 */
public final class LayerBuilder {
  /** The zlib level of a gzip layer when no level is asked for and ISA-L is not installed. */
  public static final int DEFAULT_GZIP_LEVEL = GzipEngine.DEFAULT_ZLIB_LEVEL;
  public static final int DEFAULT_ZSTD_LEVEL = 3;
  /**
   * zstd always runs in its multi-threaded mode, whose output is the same for any number of workers
   * (but not the same as single-threaded mode), so digests do not depend on the machine. The cap
   * bounds memory at high levels, where each worker holds several windows.
   */
  static final int MAX_ZSTD_WORKERS = 4;

  private final Compression output;
  private final int level;
  private final GzipEngine gzip;

  /**
   * @param output the compression of the blob to write
   * @param level 1-9 for gzip (zlib's levels), 1-22 for zstd, ignored for none; -1 for the
   *     default: for gzip ISA-L where it is installed, else zlib level 6; 3 for zstd
   */
  public LayerBuilder(Compression output, int level) {
    this(output, level, GzipEngine.preferred());
  }

  /** {@code preferred} is the gzip engine used when no level is asked for. */
  LayerBuilder(Compression output, int level, GzipEngine preferred) {
    this.output = output;
    this.level = checkedLevel(output, level);
    this.gzip = output != Compression.GZIP ? null : level == -1 ? preferred : GzipEngine.zlib(this.level);
  }

  /** What gzip layers are deflated with: "ISA-L level 3" or "zlib level N"; null for other compressions. */
  public String gzipEngine() {
    return gzip == null ? null : gzip.name();
  }

  /**
   * Reads the tar changeset {@code input} to its end and writes the layer blob to {@code blob}.
   * Neither stream is closed. On failure the blob holds partial data, for the caller to discard.
   *
   * @param source names the input in messages: a file path, or "-" for standard input
   * @throws InvalidLayerException when the input is not a valid, complete tar or has a refused entry
   * @throws IOException when reading the input or writing the blob fails
   */
  public BuiltLayer build(InputStream input, OutputStream blob, String source) throws IOException {
    CountingDigestOutputStream compressed = new CountingDigestOutputStream(new KeepOpen(blob));
    CountingDigestOutputStream tar =
        output == Compression.NONE ? compressed : new CountingDigestOutputStream(compressor(compressed));
    try (tar) {
      InputStream uncompressed = CompressedInput.open(input, source);
      new LayerValidator(source).validate(new TeeInputStream(uncompressed, tar));
    } catch (UncheckedIOException e) {
      throw e.getCause(); // the blob side failed, not the layer
    }
    Digest diffId = tar.digest();
    Digest digest = output == Compression.NONE ? diffId : compressed.digest();
    return new BuiltLayer(diffId, digest, compressed.size(), output);
  }

  private OutputStream compressor(OutputStream out) throws IOException {
    if (output == Compression.GZIP) {
      return new ParallelGzipOutputStream(out, gzip, Runtime.getRuntime().availableProcessors());
    }
    int workers = Math.min(MAX_ZSTD_WORKERS, Runtime.getRuntime().availableProcessors());
    return new ZstdOutputStreamNoFinalizer(out, level).setChecksum(true).setWorkers(Math.max(1, workers));
  }

  private static int checkedLevel(Compression output, int level) {
    return switch (output) {
      case NONE -> level;
      case GZIP -> inRange(level, DEFAULT_GZIP_LEVEL, 9, output);
      case ZSTD -> inRange(level, DEFAULT_ZSTD_LEVEL, 22, output);
    };
  }

  private static int inRange(int level, int defaultLevel, int max, Compression output) {
    if (level == -1) {
      return defaultLevel;
    }
    if (level < 1 || level > max) {
      throw new IllegalArgumentException(
          output.label() + " compression level must be 1-" + max + ", got " + level);
    }
    return level;
  }

  /** Lets the compressor close its end without closing the caller's blob stream. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
