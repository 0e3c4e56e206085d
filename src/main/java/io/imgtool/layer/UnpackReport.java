package io.imgtool.layer;

import java.util.List;

/**
 * What an unpack did not reproduce exactly, because the user or the filesystem could not:
 * owners that could not be set (not root), device nodes that could not be made, xattrs the
 * filesystem refused. Each item is a path and, after a colon, what was skipped; a warning says
 * once why a whole kind of thing could not be done, and how to get it.
 */
public record UnpackReport(int layers, long entries, List<String> ownersNotSet, List<String> skipped,
    List<String> warnings) {
  public UnpackReport {
    ownersNotSet = List.copyOf(ownersNotSet);
    skipped = List.copyOf(skipped);
    warnings = List.copyOf(warnings);
  }

  /** True when the directory holds the image's filesystem exactly. */
  public boolean exact() {
    return ownersNotSet.isEmpty() && skipped.isEmpty();
  }
}
