package io.imgtool.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ArchiveLinksTest {
  private final ArchiveLinks<String> archive = new ArchiveLinks<>();

  @Test
  void aSharedLayerIsFoundThroughTheSymlinksDockerSaveWrites() {
    archive.file("abc/layer.tar", "the layer");
    archive.link("def/layer.tar", "../abc/layer.tar", true);
    assertEquals("the layer", archive.find("def/layer.tar"));
    assertEquals("the layer", archive.find("./def//layer.tar"), "one path, however spelled");
  }

  @Test
  void aHardLinkNamesItsTargetFromTheArchiveRoot() {
    archive.file("blobs/sha256/aa", "blob");
    archive.link("blobs/sha256/bb", "blobs/sha256/aa", false);
    assertEquals("blob", archive.find("blobs/sha256/bb"));
  }

  @Test
  void chainsAreFollowedAndTheLastEntryForAPathWins() {
    archive.file("a", "first");
    archive.link("b", "a", true);
    archive.link("c", "b", true);
    assertEquals("first", archive.find("c"));
    archive.file("b", "replaced");
    assertEquals("replaced", archive.find("c"));
  }

  @Test
  void linksThatLeaveTheArchiveOrLoopNameNothing() {
    archive.file("x", "inside");
    archive.link("up", "../../etc/passwd", true);
    archive.link("loop1", "loop2", true);
    archive.link("loop2", "loop1", true);
    archive.link("dangling", "missing", true);
    assertNull(archive.find("up"));
    assertNull(archive.find("loop1"));
    assertNull(archive.find("dangling"));
    assertNull(archive.find("../x"), "a path that climbs out is refused, not cleaned");
    assertNull(archive.find(""));
  }

  @Test
  void anAbsoluteSymlinkTargetIsTheArchiveRoot() {
    archive.file("abc/layer.tar", "the layer");
    archive.link("def/layer.tar", "/abc/layer.tar", true);
    assertEquals("the layer", archive.find("def/layer.tar"));
  }
}
