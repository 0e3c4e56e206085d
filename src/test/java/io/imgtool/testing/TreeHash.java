package io.imgtool.testing;

import io.imgtool.image.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.stream.Stream;

/** A fingerprint of a directory tree (names, types, sizes, contents), to prove nothing changed. */
public final class TreeHash {
  private TreeHash() {}

  public static String of(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return "absent";
    }
    MessageDigest sha = Digest.newSha256();
    try (Stream<Path> paths = Files.walk(root).sorted()) {
      paths.forEach(p -> {
        try {
          sha.update(root.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
          if (Files.isSymbolicLink(p)) {
            sha.update(("->" + Files.readSymbolicLink(p)).getBytes(StandardCharsets.UTF_8));
          } else if (Files.isRegularFile(p)) {
            sha.update(Files.readAllBytes(p));
          } else {
            sha.update((byte) '/');
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return Digest.fromSha256(sha.digest()).toString();
  }
}
