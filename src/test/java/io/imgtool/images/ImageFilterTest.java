package io.imgtool.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imgtool.name.InvalidReferenceException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code images --filter}: Docker's keys accepted, anything else refused with Docker's words. */
class ImageFilterTest {
  @Test
  void acceptsDockersKeys() {
    ImageFilter filter = ImageFilter.parse(List.of("dangling=true", "DANGLING=1", "reference=team/*:1.*",
        "label=tier", "label=tier=web", "before=app:1", "since=sha256:3f2a"));
    assertEquals(List.of("app:1"), filter.before());
    assertEquals(List.of("sha256:3f2a"), filter.since());
  }

  @Test
  void refusesWhatDockerRefuses() {
    assertEquals("invalid filter 'colour'; imgtool images filters by dangling, reference, label, before and since",
        assertThrows(InvalidRequestException.class, () -> ImageFilter.parse(List.of("colour=red"))).getMessage());
    assertEquals("bad format of filter \"dangling\" (expected name=value)",
        assertThrows(InvalidRequestException.class, () -> ImageFilter.parse(List.of("dangling"))).getMessage());
    assertThrows(InvalidRequestException.class, () -> ImageFilter.parse(List.of("dangling=maybe")));
    assertThrows(InvalidRequestException.class, () -> ImageFilter.parse(List.of("dangling=true", "dangling=false")));
    assertThrows(InvalidReferenceException.class, () -> ImageFilter.parse(List.of("reference=app:[0-9")));
  }
}
