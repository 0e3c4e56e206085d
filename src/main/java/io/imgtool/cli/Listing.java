package io.imgtool.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.cli.template.Template;
import io.imgtool.cli.template.TemplateException;
import io.imgtool.image.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The output of a listing command ({@code images}, {@code history}) as Docker's formatter gives
 * it: the default table; {@code -q}, the ID column alone; {@code --format json}, one object a
 * line; {@code --format TEMPLATE}, a Go template per row; {@code --format 'table TEMPLATE'}, a
 * template per row aligned in columns under headers. As in Docker, {@code \t} and {@code \n}
 * typed in the format are a tab and a newline, and {@code -q} applies to the table formats only.
 *
 * @param idField the field {@code -q} prints
 * @param uniqueIds whether {@code -q} prints each ID once
 * @param headers each field's column header, in the default table's order
 * @param defaultFields the default table's columns
 */
record Listing(String idField, boolean uniqueIds, Map<String, String> headers, List<String> defaultFields) {
  static final String TABLE = "table";
  static final String JSON = "json";

  /** A format template that does not parse is a usage error, found before any work is done. */
  static void check(String format) {
    if (format == null || format.equals(TABLE) || format.equals(JSON)) {
      return;
    }
    try {
      Template.parse(body(format));
    } catch (TemplateException e) {
      throw new UsageException(e.getMessage());
    }
  }

  void print(PrintWriter out, String format, boolean quiet, List<ObjectNode> rows) {
    String chosen = format == null || format.isBlank() ? TABLE : format;
    if (quiet && chosen.equals(TABLE)) {
      Set<String> seen = new LinkedHashSet<>();
      for (ObjectNode row : rows) {
        String id = row.path(idField).asText();
        if (!uniqueIds || seen.add(id)) {
          out.println(id);
        }
      }
      return;
    }
    if (chosen.equals(JSON)) {
      rows.forEach(row -> out.println(row.toString()));
      return;
    }
    if (chosen.equals(TABLE)) {
      Table table = new Table(defaultFields.stream().map(headers::get).toArray(String[]::new));
      for (ObjectNode row : rows) {
        table.add(defaultFields.stream().map(field -> row.path(field).asText()).toArray(String[]::new));
      }
      table.print(out);
      return;
    }
    Template template = Template.parse(body(chosen));
    if (!chosen.startsWith(TABLE)) {
      rows.forEach(row -> out.println(template.execute(row)));
      return;
    }
    ObjectNode headerRow = Json.object();
    headers.forEach(headerRow::put);
    Table table = new Table(cells(template.execute(headerRow)));
    rows.forEach(row -> table.add(cells(template.execute(row))));
    table.print(out);
  }

  /** The template of a format: without the {@code table} prefix, escapes replaced, trimmed. */
  private static String body(String format) {
    String text = format.startsWith(TABLE) ? format.substring(TABLE.length()) : format;
    return text.replace("\\t", "\t").replace("\\n", "\n").strip();
  }

  private static String[] cells(String line) {
    List<String> cells = new ArrayList<>(List.of(line.split("\t", -1)));
    return cells.toArray(String[]::new);
  }
}
