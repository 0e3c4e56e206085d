package io.imgtool.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LayerPathTest {
  @Test
  void cleansTheSpellingsOfOnePath() {
    assertEquals("etc/x", LayerPath.clean("./etc//x/"));
    assertEquals("etc/x", LayerPath.clean("etc/./x"));
    assertEquals("", LayerPath.clean("./"));
    assertEquals("a/../b", LayerPath.clean("a/../b"));
  }

  @Test
  void findsParentComponentsButNotDotsInNames() {
    assertTrue(LayerPath.hasParentComponent("a/../b"));
    assertTrue(LayerPath.hasParentComponent(".."));
    assertFalse(LayerPath.hasParentComponent("a/..b/c.."));
  }
}
