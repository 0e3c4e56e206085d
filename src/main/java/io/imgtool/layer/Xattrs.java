package io.imgtool.layer;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A file's extended attributes: names and values as raw bytes, because values are binary
 * ({@code security.capability} is a struct, {@code user.*} may hold anything) and a layer must
 * carry them byte for byte. Immutable; compared by content.
 */
final class Xattrs {
  static final Xattrs NONE = new Xattrs(new TreeMap<>());

  private final SortedMap<String, byte[]> values;

  private Xattrs(SortedMap<String, byte[]> values) {
    this.values = values;
  }

  static Xattrs of(Map<String, byte[]> values) {
    if (values.isEmpty()) {
      return NONE;
    }
    SortedMap<String, byte[]> copy = new TreeMap<>();
    values.forEach((name, value) -> copy.put(name, value.clone()));
    return new Xattrs(copy);
  }

  /**
   * Whether a layer records the attribute: {@code user.*}, {@code security.*} (file capabilities,
   * IMA) and {@code trusted.*}, as Docker, containers/storage and umoci carry them; not the host's
   * SELinux label, overlayfs' own bookkeeping or {@code system.*} (ACLs, which Docker drops too).
   */
  static boolean recorded(String name) {
    return name.startsWith("user.")
        || (name.startsWith("security.") && !name.equals("security.selinux"))
        || (name.startsWith("trusted.") && !name.startsWith("trusted.overlay."));
  }

  /** Namespaces only a privileged process may set (or, for trusted.*, even read). */
  static boolean privileged(String name) {
    return name.startsWith("security.") || name.startsWith("trusted.");
  }

  boolean isEmpty() {
    return values.isEmpty();
  }

  int size() {
    return values.size();
  }

  /** Names and values in name order; the values must not be changed. */
  SortedMap<String, byte[]> asMap() {
    return Collections.unmodifiableSortedMap(values);
  }

  Xattrs filter(Predicate<String> names) {
    SortedMap<String, byte[]> kept = new TreeMap<>();
    values.forEach((name, value) -> {
      if (names.test(name)) {
        kept.put(name, value);
      }
    });
    return kept.isEmpty() ? NONE : new Xattrs(kept);
  }

  /** These attributes, with those of {@code other} that {@code names} selects in place of ours. */
  Xattrs replacing(Predicate<String> names, Xattrs other) {
    SortedMap<String, byte[]> merged = new TreeMap<>(filter(names.negate()).values);
    merged.putAll(other.filter(names).values);
    return merged.isEmpty() ? NONE : new Xattrs(merged);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Xattrs other) || !values.keySet().equals(other.values.keySet())) {
      return false;
    }
    return values.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), other.values.get(e.getKey())));
  }

  @Override
  public int hashCode() {
    int hash = 0;
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      hash += e.getKey().hashCode() ^ Arrays.hashCode(e.getValue());
    }
    return hash;
  }

  @Override
  public String toString() {
    return values.keySet().toString();
  }
}
