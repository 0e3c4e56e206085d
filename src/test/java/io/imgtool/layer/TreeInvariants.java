package io.imgtool.layer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

/**
 * What every tree a layer applier builds must be, whatever the layers held: each path a chain of
 * plain names under the root (no "", ".", "..", '/' or NUL in a name, so no path can leave the
 * root when an unpack mirrors it on disk), and only directories with children.
 */
final class TreeInvariants {
  private TreeInvariants() {}

  static void check(FlatTree tree) {
    assertTrue(tree.root().isDir(), "the root is a directory");
    check(tree.root(), "");
  }

  private static void check(FlatTree.Node node, String path) {
    if (!node.isDir()) {
      assertTrue(node.children.isEmpty(), "a " + node.entry.type + " with children at /" + path);
    }
    for (Map.Entry<String, FlatTree.Node> child : node.children.entrySet()) {
      String name = child.getKey();
      String childPath = path.isEmpty() ? name : path + "/" + name;
      boolean plain = !name.isEmpty() && !name.equals(".") && !name.equals("..")
          && name.indexOf('/') < 0 && name.indexOf('\0') < 0;
      assertTrue(plain, "not a plain name under the root: \"" + childPath + "\"");
      assertFalse(child.getValue() == null, "no node at /" + childPath);
      check(child.getValue(), childPath);
    }
  }
}
