package io.imgtool.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Files made to replace a target once whole. Unlike {@code Files.createTempFile}, which makes
 * them 0600, they get the mode the user's umask gives, as docker save's and skopeo's outputs do:
 * an archive or layout is for other users and tools to read.
 */
public final class NewFiles {
  private NewFiles() {}

  /** A new, empty file in {@code target}'s directory, hidden by its name until it is moved over it. */
  public static Path beside(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    return Files.createFile(dir.resolve(".imgtool-" + UUID.randomUUID() + ".tmp"));
  }
}
