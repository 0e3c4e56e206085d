package io.imgtool.layer;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.imgtool.testing.Tars;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Fuzzes the layer applier with well-formed tars of hostile shape, built from the fuzzer's
 * choices: up to three layers of files, directories, symlinks (relative, absolute, climbing),
 * hard links, fifos, devices, whiteouts and opaque markers, at paths made of names that collide
 * ({@code a}, {@code ..}, {@code .wh.a}, …) or of arbitrary text. Where {@link LayerTarFuzzTest}
 * explores the tar format, this one explores path resolution: symlinks followed inside the
 * root, {@code ..} stopped at it, whiteouts of lower layers, links to what is not a file.
 *
 * <p>The applier may refuse a layer with {@link InvalidLayerException} or
 * {@link UnsafeLayerException}; anything else is a finding, and so is a tree with a name that
 * could leave the root ({@link TreeInvariants}). An endless symlink walk is a finding by the
 * fuzz execution's per-input timeout.
 */
class LayerApplierFuzzTest {
  private static final String[] NAMES = {"a", "b", "c", "..", ".", "", ".wh.a", ".wh.b", ".wh..wh..opq",
      ".wh..wh.x", ".wh.", "etc"};

  @FuzzTest
  void layers(FuzzedDataProvider data) {
    int count = data.consumeInt(1, 3);
    List<byte[]> layers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      layers.add(layer(data));
    }
    try {
      TreeInvariants.check(FlatTree.of(InMemoryImage.of(layers)));
    } catch (InvalidLayerException | UnsafeLayerException refused) {
      // a hostile or malformed entry, said so
    }
  }

  private static byte[] layer(FuzzedDataProvider data) {
    Tars tar = Tars.create();
    int entries = data.consumeInt(0, 10);
    for (int i = 0; i < entries; i++) {
      String name = path(data);
      try {
        switch (data.consumeInt(0, 6)) {
          case 0 -> tar.file(name, data.consumeBytes(4));
          case 1 -> tar.dir(name);
          case 2 -> tar.symlink(name, path(data));
          case 3 -> tar.hardLink(name, path(data));
          case 4 -> tar.node(name, TarConstants.LF_FIFO, 0, 0);
          case 5 -> tar.node(name, TarConstants.LF_CHR, 1, 3);
          default -> tar.dir(name, 01777);
        }
      } catch (UncheckedIOException | IllegalArgumentException unwritable) {
        break; // a name Commons Compress cannot write; the tar so far is the layer
      }
    }
    try {
      return tar.bytes();
    } catch (UncheckedIOException unfinished) {
      return Tars.create().bytes(); // the refused entry was left open: an empty layer instead
    }
  }

  /** A relative or absolute path of one to four names, each colliding or arbitrary. */
  private static String path(FuzzedDataProvider data) {
    StringBuilder path = new StringBuilder(data.consumeBoolean() ? "/" : "");
    int names = data.consumeInt(1, 4);
    for (int i = 0; i < names; i++) {
      path.append(i > 0 ? "/" : "");
      path.append(data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(4));
    }
    return path.toString();
  }
}
