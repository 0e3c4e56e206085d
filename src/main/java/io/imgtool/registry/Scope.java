package io.imgtool.registry;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * An access scope of the distribution token spec: {@code repository:alice/app:pull,push} or
 * {@code registry:catalog:*}. Each operation asks for exactly the scopes it needs.
 */
public record Scope(String type, String name, String actions) {
  public static Scope pull(String repository) {
    return new Scope("repository", repository, "pull");
  }

  public static Scope push(String repository) {
    return new Scope("repository", repository, "pull,push");
  }

  public static Scope catalog() {
    return new Scope("registry", "catalog", "*");
  }

  /** The canonical text form, sorted so equal scope sets share one cached token. */
  static String key(Collection<Scope> scopes) {
    Set<String> sorted = new TreeSet<>();
    scopes.forEach(s -> sorted.add(s.toString()));
    return String.join(" ", sorted);
  }

  @Override
  public String toString() {
    return type + ":" + name + ":" + actions;
  }
}
