package io.imgtool.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WhiteoutTest {
  @Test
  void recognisesWhiteoutsAndOpaqueMarkers() {
    assertTrue(Whiteout.isWhiteout("etc/.wh.motd"));
    assertFalse(Whiteout.isOpaque("etc/.wh.motd"));
    assertTrue(Whiteout.isWhiteout("etc/.wh..wh..opq"));
    assertTrue(Whiteout.isOpaque("etc/.wh..wh..opq"));
    assertTrue(Whiteout.isOpaque(".wh..wh..opq"));
    assertFalse(Whiteout.isWhiteout("etc/motd.wh.x"));
    assertFalse(Whiteout.isWhiteout(".whx"));
  }

  @Test
  void namesTheDeletedPath() {
    assertEquals("etc/motd", Whiteout.target("etc/.wh.motd"));
    assertEquals("tmp", Whiteout.target(".wh.tmp"));
    assertThrows(IllegalArgumentException.class, () -> Whiteout.target("etc/.wh..wh..opq"));
  }

  @Test
  void makesWhiteoutEntries() {
    assertEquals("etc/.wh.motd", Whiteout.of("etc/motd"));
    assertEquals(".wh.tmp", Whiteout.of("tmp"));
    assertEquals("var/cache/.wh..wh..opq", Whiteout.opaqueMarker("var/cache"));
    assertEquals(".wh..wh..opq", Whiteout.opaqueMarker(""));
  }
}
