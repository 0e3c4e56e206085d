package io.imgtool.images;

import com.fasterxml.jackson.databind.JsonNode;
import io.imgtool.name.ImageReference;
import io.imgtool.name.ReferencePattern;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code images --filter KEY=VALUE}, with Docker's keys and rules: {@code dangling=true|false},
 * {@code reference=PATTERN} (Docker's glob; several are alternatives), {@code label=KEY} or
 * {@code label=KEY=VALUE} (several must all match), {@code before=IMAGE}, {@code since=IMAGE}
 * (created strictly before or after that image). Different keys must all match.
 */
public final class ImageFilter {
  private Boolean dangling;
  private final List<ReferencePattern> references = new ArrayList<>();
  private final List<String[]> labels = new ArrayList<>();
  private final List<String> before = new ArrayList<>();
  private final List<String> since = new ArrayList<>();

  private ImageFilter() {}

  /** Every image. */
  public static ImageFilter none() {
    return new ImageFilter();
  }

  /** Throws {@link InvalidRequestException} for an unknown key or a malformed value. */
  public static ImageFilter parse(List<String> filters) {
    ImageFilter filter = new ImageFilter();
    for (String text : filters) {
      int eq = text.indexOf('=');
      if (eq <= 0) {
        throw new InvalidRequestException("bad format of filter \"" + text + "\" (expected name=value)");
      }
      String key = text.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = text.substring(eq + 1);
      switch (key) {
        case "dangling" -> filter.dangling(text, value);
        case "reference" -> filter.reference(value);
        case "label" -> {
          int valueAt = value.indexOf('=');
          filter.labels.add(valueAt < 0 ? new String[] {value, null}
              : new String[] {value.substring(0, valueAt), value.substring(valueAt + 1)});
        }
        case "before" -> filter.before.add(value);
        case "since" -> filter.since.add(value);
        default -> throw new InvalidRequestException("invalid filter '" + key + "'; imgtool images filters by"
            + " dangling, reference, label, before and since");
      }
    }
    return filter;
  }

  private void dangling(String text, String value) {
    boolean wanted;
    if (value.equalsIgnoreCase("true") || value.equals("1")) {
      wanted = true;
    } else if (value.equalsIgnoreCase("false") || value.equals("0")) {
      wanted = false;
    } else {
      throw new InvalidRequestException("invalid filter '" + text + "': dangling is true or false");
    }
    if (dangling != null && dangling != wanted) {
      throw new InvalidRequestException("invalid filter: dangling=true and dangling=false exclude each other");
    }
    dangling = wanted;
  }

  /**
   * Adds a reference pattern, as {@code images REPOSITORY[:TAG]} does. Throws
   * {@link io.imgtool.name.InvalidReferenceException} for a malformed pattern.
   */
  public ImageFilter reference(String pattern) {
    references.add(ReferencePattern.of(pattern));
    return this;
  }

  List<String> before() {
    return before;
  }

  List<String> since() {
    return since;
  }

  /**
   * @param notAfter the creation time an image must be before (the earliest {@code before=}), or null
   * @param notBefore the creation time an image must be after (the latest {@code since=}), or null
   */
  boolean matches(LocalImage image, Instant notAfter, Instant notBefore) {
    if (dangling != null && image.dangling() != dangling) {
      return false;
    }
    if (!references.isEmpty()) {
      Optional<ImageReference> name = image.name();
      if (name.isEmpty() || references.stream().noneMatch(pattern -> pattern.matches(name.get()))) {
        return false;
      }
    }
    for (String[] label : labels) {
      JsonNode value = image.image().config().containerConfig().path("Labels").get(label[0]);
      if (value == null || value.isNull() || label[1] != null && !label[1].equals(value.asText())) {
        return false;
      }
    }
    Instant created = image.created().orElse(Instant.EPOCH);
    return (notAfter == null || created.isBefore(notAfter)) && (notBefore == null || created.isAfter(notBefore));
  }
}
