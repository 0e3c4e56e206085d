package io.imgtool.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Docker's {@code images --filter reference=…} examples, with the answers Docker gives. */
class ReferencePatternTest {
  private static boolean matches(String pattern, String name) {
    return ReferencePattern.of(pattern).matches(ImageReference.parse(name));
  }

  @Test
  void aPatternMatchesTheFamiliarNameOrItsRepository() {
    assertTrue(matches("busybox", "busybox:latest"));
    assertTrue(matches("busybox", "busybox:uclibc"));
    assertTrue(matches("busy*:uclibc", "busybox:uclibc"));
    assertFalse(matches("busy*:uclibc", "busybox:latest"));
    assertTrue(matches("*box", "busybox:latest"));
    assertTrue(matches("*:1.1", "myubuntu:1.1"));
    assertFalse(matches("*", "team/app:1"), "* does not cross a slash, as in Docker");
    assertTrue(matches("*/*", "team/app:1"));
    assertTrue(matches("team/*:1", "team/app:1"));
    assertTrue(matches("localhost:5000/*", "localhost:5000/app:2"));
    assertTrue(matches("app:[0-9]", "app:7"));
    assertFalse(matches("app:[^0-9]", "app:7"));
    assertTrue(matches("app:?", "app:7"));
  }

  @Test
  void aFullNameMatchesHoweverItIsWritten() {
    assertTrue(matches("docker.io/library/ubuntu", "ubuntu:22.04"));
    assertTrue(matches("docker.io/library/ubuntu:22.04", "ubuntu:22.04"));
    assertFalse(matches("docker.io/library/ubuntu:20.04", "ubuntu:22.04"));
  }

  @Test
  void malformedPatternsAreRefused() {
    InvalidReferenceException e = assertThrows(InvalidReferenceException.class, () -> ReferencePattern.of("app:[0-9"));
    assertEquals("invalid reference pattern \"app:[0-9\": unclosed [", e.getMessage());
    assertThrows(InvalidReferenceException.class, () -> ReferencePattern.of("app\\"));
  }
}
