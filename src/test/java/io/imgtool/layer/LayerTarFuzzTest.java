package io.imgtool.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.imgtool.image.InvalidImageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Fuzzes layer bytes as import/commit ({@link LayerValidator} over {@link TarHeaderReader}) and
 * unpack/diff ({@link LayerApplier} over Commons Compress, into a {@link FlatTree}) read them
 * from a file or a registry. Each input runs as given and again with its header checksums made
 * right ({@link TarChecksums}), so mutations reach the header fields.
 *
 * <p>A finding is anything but the documented refusals: {@link InvalidLayerException} from the
 * validator; {@link InvalidLayerException}, {@link UnsafeLayerException},
 * {@link InvalidImageException} (a digest check) or an {@link UncheckedIOException} over an
 * IOException of the tar reader from the applier. A tree that is built must hold only plain
 * names under its root ({@link TreeInvariants}). A layer the validator accepts must also read
 * the same, entry by entry, in Commons Compress, or what import checked is not what unpack
 * applies. Two differences are no difference to the checks, which look at a name's components:
 * bytes that are not UTF-8 (each side decodes them as '?' or U+FFFD, depending on the header
 * they come from: one character either way, neither '/' nor '.', so both compare as '?'), and
 * the '/' Commons Compress appends to the name of a directory (seeds invalid-utf8-name.tar,
 * invalid-utf8-in-long-name.tar, directory-name-without-slash.tar).
 * Seeds: real tars by GNU tar and Python in {@code LayerTarFuzzTestInputs/}.
 */
class LayerTarFuzzTest {
  @FuzzTest
  void layer(byte[] input) {
    check(input);
    byte[] fixed = TarChecksums.fixed(input);
    if (!Arrays.equals(fixed, input)) {
      check(fixed);
    }
  }

  private static void check(byte[] tar) {
    boolean valid = validates(tar);
    try {
      TreeInvariants.check(FlatTree.of(InMemoryImage.of(List.of(tar))));
    } catch (InvalidLayerException | UnsafeLayerException | InvalidImageException refused) {
      // the documented refusals of a layer
    } catch (UncheckedIOException unreadable) {
      assertInstanceOf(IOException.class, unreadable.getCause());
    }
    List<String> unpacked = valid ? commonsCompressEntries(tar) : List.of();
    // Compared are the names of tars Commons Compress reads whole, where import must check what
    // unpack applies; a tar the validator accepts and Commons Compress refuses fails unpack
    // cleanly, and the seeds that did (gnu-sparse-map-invalid.tar, sparse-block-beyond-size.tar,
    // corrupted-after-entries.tar) are now refused by the validator (LayerValidatorTest).
    boolean readWhole = unpacked.stream().noneMatch(entry -> entry.startsWith("unreadable: "));
    if (valid && readWhole) {
      assertEquals(unpacked, headerReaderEntries(tar), "entries of an accepted layer");
    }
  }

  private static boolean validates(byte[] tar) {
    try {
      new LayerValidator("fuzz").validate(new ByteArrayInputStream(tar));
      return true;
    } catch (InvalidLayerException refused) {
      return false;
    }
  }

  private static List<String> headerReaderEntries(byte[] tar) {
    List<String> entries = new ArrayList<>();
    try {
      TarHeaderReader reader = new TarHeaderReader(new ByteArrayInputStream(tar));
      for (TarHeaderReader.Entry e; (e = reader.next()) != null; ) {
        entries.add((withoutTrailingSlash(e.name()) + " -> " + e.linkName()).replace('\uFFFD', '?'));
      }
    } catch (IOException e) {
      throw new AssertionError("the validator accepted what its reader cannot read", e);
    }
    return entries;
  }

  private static String withoutTrailingSlash(String name) {
    return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
  }

  private static List<String> commonsCompressEntries(byte[] tar) {
    List<String> entries = new ArrayList<>();
    try (InputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8")) {
      TarArchiveInputStream archive = (TarArchiveInputStream) in;
      for (TarArchiveEntry e; (e = archive.getNextEntry()) != null; ) {
        entries.add((withoutTrailingSlash(e.getName()) + " -> " + e.getLinkName()).replace('\uFFFD', '?'));
      }
    } catch (IOException e) {
      entries.add("unreadable: " + e.getMessage());
    }
    return entries;
  }
}
