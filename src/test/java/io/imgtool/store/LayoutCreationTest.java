package io.imgtool.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imgtool.testing.Judges;
import io.imgtool.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store is an OCI layout umoci reads from the moment it exists: a command killed while the
 * store is being created leaves no layout without index.json (umoci refuses one), and a store an
 * older imgtool left that way is completed by the next command.
 */
class LayoutCreationTest {
  @TempDir Path tmp;

  private static Tools.Result umociList(Path root) throws IOException, InterruptedException {
    Judges.require("umoci");
    return Tools.run(Judges.command("umoci"), "ls", "--layout", root.toString());
  }

  @Test
  void aStoreKilledDuringItsFirstCommandIsALayoutUmociReads() throws Exception {
    Path root = tmp.resolve("store");
    try (Staging staging = LayoutStore.at(root).stage()) {
      staging.putBlob("a layer being written when the command is killed".getBytes(StandardCharsets.UTF_8));
      // kill -9 now: what is on disk is what the next command and other tools find
      assertTrue(Files.exists(root.resolve(Layout.OCI_LAYOUT)));
      Tools.Result list = umociList(root);
      assertEquals(0, list.exit(), list.toString());
      assertEquals("", list.out());
    }
  }

  @Test
  void aStoreWithoutIndexJsonIsCompletedByTheNextCommandEvenOneThatFails() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("store/blobs/sha256")).getParent().getParent();
    Files.write(root.resolve(Layout.OCI_LAYOUT), Layout.OCI_LAYOUT_CONTENT);
    assertNotEquals(0, umociList(root).exit(), "umoci refuses a layout without index.json");

    try (Staging staging = LayoutStore.at(root).stage()) {
      staging.putBlob(new byte[] {1, 2, 3}); // and then the command fails: no commit
    }

    Tools.Result list = umociList(root);
    assertEquals(0, list.exit(), list.toString());
  }

  @Test
  void whatACreationKilledBeforeOciLayoutLeavesIsTakenOverAsAnEmptyDirectory() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("store/blobs/sha256")).getParent().getParent();
    Files.write(root.resolve(Layout.INDEX_JSON), Layout.EMPTY_INDEX);

    LayoutStore store = LayoutStore.at(root);
    TestImages.commit(store, "foo:1", "a");

    Tools.Result list = umociList(root);
    assertEquals(0, list.exit(), list.toString());
    assertEquals(List.of("docker.io/library/foo:1"), list.out().lines().toList());
  }

  @Test
  void aFailedFirstCommandTakesTheWholeNewLayoutBack() throws Exception {
    Path root = tmp.resolve("new/store");
    try (Staging staging = LayoutStore.at(root).stage()) {
      staging.putBlob(new byte[] {1});
    }
    assertFalse(Files.exists(tmp.resolve("new")));
  }
}
