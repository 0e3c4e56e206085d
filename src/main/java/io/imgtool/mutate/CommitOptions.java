package io.imgtool.mutate;

import io.imgtool.image.Format;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the user asked for besides the layers: {@code -m} message, {@code -a} author,
 * {@code -c} changes (raw strings), the creation time (now, or SOURCE_DATE_EPOCH /
 * {@code --timestamp} for reproducible images) and {@code --format} (empty: keep the base's).
 * Message and author may be null or empty, meaning not given.
 */
public record CommitOptions(
    String message, String author, List<String> changes, Instant created, Optional<Format> format) {

  public CommitOptions {
    changes = changes == null ? List.of() : List.copyOf(changes);
    Objects.requireNonNull(created, "created");
    format = format == null ? Optional.empty() : format;
  }

  /** No message, author or changes; the base's format. */
  public static CommitOptions at(Instant created) {
    return new CommitOptions(null, null, List.of(), created, Optional.empty());
  }

  public CommitOptions withMessage(String message) {
    return new CommitOptions(message, author, changes, created, format);
  }

  public CommitOptions withAuthor(String author) {
    return new CommitOptions(message, author, changes, created, format);
  }

  public CommitOptions withChanges(List<String> changes) {
    return new CommitOptions(message, author, changes, created, format);
  }

  public CommitOptions withFormat(Format format) {
    return new CommitOptions(message, author, changes, created, Optional.ofNullable(format));
  }

  boolean hasMessage() {
    return message != null && !message.isEmpty();
  }

  boolean hasAuthor() {
    return author != null && !author.isEmpty();
  }
}
