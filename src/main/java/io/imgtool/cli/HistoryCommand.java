package io.imgtool.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imgtool.image.Descriptor;
import io.imgtool.image.History;
import io.imgtool.image.Image;
import io.imgtool.image.Json;
import io.imgtool.images.LocalImages;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "history", description = "Show the history of an image, newest first, like docker history.")
final class HistoryCommand implements Callable<Integer> {
  private static final int CREATED_BY_WIDTH = 45;

  @ParentCommand ImgtoolCommand root;
  @Spec CommandSpec spec;

  @Option(names = "--no-trunc", description = "Do not truncate output.")
  boolean noTrunc;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (one JSON object a line).")
  OutputFormat format;

  @Parameters(paramLabel = "NAME", description = "A local image: name, image ID or ID prefix.")
  String name;

  /** One history entry with the size of the layer it made (0 for config-only steps). */
  private record Row(String image, History history, long size) {}

  @Override
  public Integer call() throws Exception {
    Session session = new Session(root, spec);
    List<Row> rows = rows(new LocalImages(session.workspace()).resolve(name).image());
    if (format == OutputFormat.JSON) {
      rows.forEach(row -> session.out().println(json(row)));
    } else {
      table(rows).print(session.out());
    }
    return 0;
  }

  /** Newest first; only the newest row is the image itself, as Docker shows {@code <missing>} below. */
  private List<Row> rows(Image image) {
    Iterator<Descriptor> layers = image.layers().iterator();
    List<Row> rows = new ArrayList<>();
    for (History history : image.config().history()) {
      long size = !history.emptyLayer() && layers.hasNext() ? layers.next().size() : 0;
      rows.add(0, new Row("<missing>", history, size));
    }
    if (!rows.isEmpty()) {
      String id = noTrunc ? image.id().toString() : image.id().shortHex();
      rows.set(0, new Row(id, rows.get(0).history(), rows.get(0).size()));
    }
    return rows;
  }

  private Table table(List<Row> rows) {
    Table table = new Table("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
    Instant now = Instant.now();
    for (Row row : rows) {
      History h = row.history();
      table.add(row.image(), Human.ago(created(h), now), truncate(oneLine(h.createdBy())),
          Human.size(row.size()), oneLine(h.comment()));
    }
    return table;
  }

  private String json(Row row) {
    History h = row.history();
    ObjectNode node = Json.object();
    node.put("ID", row.image());
    node.put("CreatedAt", h.created() == null ? "" : h.created());
    node.put("CreatedSince", Human.ago(created(h), Instant.now()));
    node.put("CreatedBy", h.createdBy() == null ? "" : h.createdBy());
    node.put("Size", Human.size(row.size()));
    node.put("Comment", h.comment() == null ? "" : h.comment());
    return node.toString();
  }

  private String truncate(String text) {
    if (noTrunc || text.codePointCount(0, text.length()) <= CREATED_BY_WIDTH) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, CREATED_BY_WIDTH - 1)) + "…";
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  static Instant created(History history) {
    try {
      return history.created() == null ? null : OffsetDateTime.parse(history.created()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
