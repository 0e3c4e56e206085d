package io.imgtool.layer;

import java.nio.file.Path;

/**
 * One entry of a changeset being planned: a whiteout, an opaque marker, or an object of the
 * directory (written as itself, or as a hard link to a path written or unpacked before it).
 */
final class PlannedEntry {
  enum Kind { OPAQUE, WHITEOUT, OBJECT }

  final Kind kind;
  /** The entry's path relative to the root; for a whiteout, the path it deletes. */
  final String path;
  /** The object on disk and its metadata (null for whiteouts). */
  final Path file;
  final TreeEntry entry;
  /** What the base holds at the path, or null. */
  final TreeEntry base;
  /** Emitted unless it is a file that still awaits a content comparison that finds it equal. */
  boolean emit;
  /** Set when the object is written as a hard link to this earlier path. */
  String hardLinkTo;

  private PlannedEntry(Kind kind, String path, Path file, TreeEntry entry, TreeEntry base, boolean emit) {
    this.kind = kind;
    this.path = path;
    this.file = file;
    this.entry = entry;
    this.base = base;
    this.emit = emit;
  }

  static PlannedEntry opaque(String dir) {
    return new PlannedEntry(Kind.OPAQUE, dir, null, null, null, true);
  }

  static PlannedEntry whiteout(String path) {
    return new PlannedEntry(Kind.WHITEOUT, path, null, null, null, true);
  }

  static PlannedEntry object(String path, Path file, TreeEntry entry, TreeEntry base, boolean emit) {
    return new PlannedEntry(Kind.OBJECT, path, file, entry, base, emit);
  }

  /** Same type and metadata as the base, content not yet compared. */
  boolean awaitsContent() {
    return kind == Kind.OBJECT && !emit && entry.type == TreeEntry.Type.FILE;
  }
}
