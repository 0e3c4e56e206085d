package io.imgtool.layer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Map;
import java.util.TreeMap;

/**
 * The xattrs java.nio reaches without native calls: the {@code user.*} namespace of files and
 * directories. What {@link Posix} does for every namespace, when JNA could not load.
 */
final class UserXattrs {
  private static final String USER = "user.";

  private UserXattrs() {}

  static Map<String, byte[]> read(Path path) throws IOException {
    Map<String, byte[]> values = new TreeMap<>();
    UserDefinedFileAttributeView view = view(path);
    if (view == null) {
      return values;
    }
    try {
      for (String name : view.list()) {
        ByteBuffer value = ByteBuffer.allocate(view.size(name));
        view.read(name, value);
        values.put(USER + name, java.util.Arrays.copyOf(value.array(), value.position()));
      }
    } catch (UnsupportedOperationException | FileSystemException e) {
      // a filesystem without user xattrs has none to record
    }
    return values;
  }

  /** Writes a user.* xattr; false when java.nio cannot (another namespace, no support). */
  static boolean write(Path path, String name, byte[] value) throws IOException {
    UserDefinedFileAttributeView view = view(path);
    if (view == null || !name.startsWith(USER)) {
      return false;
    }
    try {
      view.write(name.substring(USER.length()), ByteBuffer.wrap(value));
      return true;
    } catch (UnsupportedOperationException | FileSystemException e) {
      return false;
    }
  }

  private static UserDefinedFileAttributeView view(Path path) {
    return Files.getFileAttributeView(path, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
  }
}
