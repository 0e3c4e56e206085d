package io.imgtool.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Columns as Docker prints them: left-aligned, three spaces apart, the last one unpadded. */
final class Table {
  private static final int GAP = 3;

  private final List<String[]> rows = new ArrayList<>();

  Table(String... header) {
    rows.add(header);
  }

  void add(String... row) {
    rows.add(row);
  }

  /** Rows may be shorter than others (a {@code table} template's cells): they end early. */
  void print(PrintWriter out) {
    int columns = rows.stream().mapToInt(row -> row.length).max().orElse(0);
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].codePointCount(0, row[i].length()));
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(widths[i] - row[i].codePointCount(0, row[i].length()) + GAP));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
