package io.imgtool.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class JudgesTest {
  private static final boolean CI = "true".equals(System.getenv("CI"));

  @Test
  void aMissingJudgeSkipsTheTestButFailsItUnderCi() {
    Class<? extends Throwable> expected = CI ? AssertionFailedError.class : TestAbortedException.class;
    Throwable missing = assertThrows(expected, () -> Judges.require("sh", "no-such-judge"));
    assertTrue(missing.getMessage().contains("no-such-judge is not installed"), missing.getMessage());
  }

  @Test
  void theMessageNamesTheDebianPackage() {
    assertTrue(Judges.which("no-such-judge").isEmpty());
    Throwable missing = assertThrows(Throwable.class, () -> Judges.require("no-such-judge"));
    assertTrue(missing.getMessage().contains("(Debian package no-such-judge;"), missing.getMessage());
  }

  @Test
  void commandIsTheAbsolutePathWhenFoundElseTheBareName() {
    Optional<Path> sh = Judges.which("sh");
    assertTrue(sh.isPresent());
    assertEquals(sh.get().toString(), Judges.command("sh"));
    assertEquals("no-such-judge", Judges.command("no-such-judge"));
  }
}
