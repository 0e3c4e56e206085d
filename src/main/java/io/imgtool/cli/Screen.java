package io.imgtool.cli;

/**
 * Where progress is drawn on stderr: lines that stay (headers, statuses), and lines that a key
 * names and later events change (one per layer), as Docker draws push and pull.
 */
interface Screen {
  /** Draws nothing (--quiet, --progress none). */
  Screen SILENT = new Screen() {
    @Override
    public void print(String line) {}

    @Override
    public void update(String key, String line, boolean last) {}

    @Override
    public boolean isLive() {
      return false;
    }
  };

  /** A line that stays as it is. */
  void print(String line);

  /**
   * The line of {@code key}, new below the others or replacing its text; {@code last} when it
   * will not change again.
   */
  void update(String key, String line, boolean last);

  /** True when changes show in place as they happen (a terminal), false for a log. */
  boolean isLive();
}
