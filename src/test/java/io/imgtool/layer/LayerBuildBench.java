package io.imgtool.layer;

import io.imgtool.image.Compression;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Benchmark entry point for bench/layer-build.sh: builds one layer blob from a tar file.
 * Usage: {@code LayerBuildBench INPUT.tar OUTPUT.blob [gzip|zstd|none] [LEVEL]}; gzip without a
 * level is the default engine (ISA-L where installed), gzip with a level is zlib at that level.
 * Prints the diffID, digest, size, engine and in-process time on one line.
 */
public final class LayerBuildBench {
  private LayerBuildBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: LayerBuildBench INPUT.tar OUTPUT.blob [gzip|zstd|none] [LEVEL]");
      System.exit(2);
    }
    Path input = Path.of(args[0]);
    Path output = Path.of(args[1]);
    Compression compression = args.length > 2 ? Compression.valueOf(args[2].toUpperCase(Locale.ROOT)) : Compression.GZIP;
    int level = args.length > 3 ? Integer.parseInt(args[3]) : -1;

    long start = System.nanoTime();
    BuiltLayer layer;
    LayerBuilder builder = new LayerBuilder(compression, level);
    try (InputStream in = Files.newInputStream(input); OutputStream out = Files.newOutputStream(output)) {
      layer = builder.build(in, out, input.toString());
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    String engine = builder.gzipEngine() == null ? layer.compression().label() : builder.gzipEngine();
    System.out.printf("diffID %s digest %s size %d compression %s (%s) time %d ms%n",
        layer.diffId(), layer.digest(), layer.size(), layer.compression().label(), engine, millis);
  }
}
