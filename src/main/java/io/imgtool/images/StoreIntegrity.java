package io.imgtool.images;

import io.imgtool.image.Annotations;
import io.imgtool.image.Descriptor;
import io.imgtool.image.Digest;
import io.imgtool.name.ImageReference;
import io.imgtool.store.IntegrityReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code imgtool check}: the store's integrity in the user's words, image by image, with what
 * {@code pull} would restore of a damaged one (the repository digest a registry holds it under).
 */
public final class StoreIntegrity {
  private StoreIntegrity() {}

  /**
   * @param lines the report, one finding a line
   * @param damaged true when the store is damaged (after a repair: damage the repair left)
   */
  public record Report(List<String> lines, boolean damaged) {}

  public static Report check(Workspace workspace, boolean repair) throws IOException {
    IntegrityReport report = workspace.store().check(repair);
    List<String> lines = new ArrayList<>();
    if (report.indexProblem() != null) {
      lines.add("damaged store: " + report.indexProblem());
    }
    for (Digest blob : report.corruptBlobs()) {
      lines.add("corrupt blob " + blob + ": its content does not hash to its name");
    }
    int complete = 0;
    int lazy = 0;
    int damaged = 0;
    for (IntegrityReport.ImageState image : report.images()) {
      if (image.damaged()) {
        damaged++;
        lines.add("damaged image " + name(image.entry()) + ": " + describe(image.damage()) + "; " + restore(image.entry()));
      } else if (!image.lazyLayers().isEmpty()) {
        lazy++;
        boolean one = image.lazyLayers().size() == 1;
        lines.add("lazy image " + name(image.entry()) + ": " + image.lazyLayers().size() + " base layer"
            + (one ? " is" : "s are") + " in " + image.entry().annotation(Annotations.SOURCE)
            + ", not in the store (imgtool pull " + name(image.entry()) + " fetches " + (one ? "it)" : "them)"));
      } else {
        complete++;
      }
    }
    for (Digest blob : report.orphanBlobs()) {
      lines.add("unused blob " + blob + ": no image refers to it");
    }
    for (String leftover : report.leftovers()) {
      lines.add("leftover " + leftover + ": of an interrupted command");
    }
    lines.add("checked " + report.blobsVerified() + " blobs and " + report.images().size() + " index entries: "
        + complete + " complete, " + lazy + " lazy, " + damaged + " damaged");
    report.repairs().forEach(done -> lines.add("repaired: " + done));
    // A repair mends all but an index.json it cannot read (it runs only when it can read the index).
    boolean left = repair ? report.indexProblem() != null && report.repairs().isEmpty() : report.damaged();
    return new Report(lines, left);
  }

  private static String name(Descriptor entry) {
    String name = entry.annotation(Descriptor.REF_NAME);
    if (name == null) {
      return "<none> (manifest " + entry.digest() + ")";
    }
    try {
      return ImageReference.parse(name).familiar();
    } catch (RuntimeException e) {
      return name;
    }
  }

  private static String describe(List<IntegrityReport.Finding> damage) {
    return damage.stream()
        .map(f -> f.role() + " " + f.digest() + (f.corrupt() ? " is corrupt" : " is missing"))
        .collect(Collectors.joining(", "));
  }

  /** A repository digest names exactly this image in a registry; a name alone may name another. */
  private static String restore(Descriptor entry) {
    List<String> repoDigests = Annotations.repoDigests(entry);
    if (!repoDigests.isEmpty()) {
      return "imgtool pull " + repoDigests.get(repoDigests.size() - 1) + " would restore it";
    }
    return "no registry is known to hold it: build or load it again";
  }
}
