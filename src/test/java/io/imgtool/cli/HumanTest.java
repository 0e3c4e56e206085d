package io.imgtool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HumanTest {
  @Test
  void sizesUseDecimalUnitsWithThreeDigits() {
    assertEquals("0B", Human.size(0));
    assertEquals("5B", Human.size(5));
    assertEquals("72.8MB", Human.size(72_790_000));
    assertEquals("1.5kB", Human.size(1500));
    assertEquals("200MB", Human.size(200_000_000));
    assertEquals("1GB", Human.size(999_999_999));
  }

  @Test
  void agesReadLikeDockerImages() {
    Instant now = Instant.parse("2026-11-29T12:00:00Z");
    assertEquals("Less than a second ago", Human.ago(now, now));
    assertEquals("45 seconds ago", Human.ago(now.minusSeconds(45), now));
    assertEquals("About a minute ago", Human.ago(now.minusSeconds(90), now));
    assertEquals("About an hour ago", Human.ago(now.minus(Duration.ofMinutes(70)), now));
    assertEquals("3 days ago", Human.ago(now.minus(Duration.ofDays(3)), now));
    assertEquals("5 weeks ago", Human.ago(now.minus(Duration.ofDays(36)), now));
  }
}
