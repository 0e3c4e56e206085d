package io.imgtool.layer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A tar written block by block, for the headers no tar tool writes. */
final class RawTar {
  static final String OLD_GNU = "ustar  \0";
  static final String USTAR = "ustar\0" + "00";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  RawTar header(String name, char type, long size, String magic) {
    byte[] block = new byte[TarHeaderReader.BLOCK];
    put(block, 0, name);
    put(block, 100, "0000644");
    put(block, 108, "0000000");
    put(block, 116, "0000000");
    put(block, 124, String.format("%011o", size));
    put(block, 136, "00000000000");
    block[156] = (byte) type;
    put(block, 257, magic);
    TarChecksums.fix(block, 0);
    out.writeBytes(block);
    return this;
  }

  /** A GNU long name ('L') or long link name ('K') header and its content. */
  RawTar longName(char type, String name) {
    byte[] bytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
    return header("././@LongLink", type, bytes.length, OLD_GNU).content(bytes);
  }

  RawTar pax(List<String> records) {
    return extended('x', records);
  }

  RawTar global(List<String> records) {
    return extended('g', records);
  }

  RawTar content(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      out.writeBytes(part);
      length += part.length;
    }
    out.writeBytes(new byte[(TarHeaderReader.BLOCK - length % TarHeaderReader.BLOCK) % TarHeaderReader.BLOCK]);
    return this;
  }

  RawTar end() {
    out.writeBytes(new byte[2 * TarHeaderReader.BLOCK]);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private RawTar extended(char type, List<String> records) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i = 0; i < records.size(); i += 2) {
      PaxRecords.append(body, records.get(i).getBytes(StandardCharsets.UTF_8),
          records.get(i + 1).getBytes(StandardCharsets.UTF_8));
    }
    return header("PaxHeader", type, body.size(), USTAR).content(body.toByteArray());
  }

  private static void put(byte[] block, int at, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, block, at, bytes.length);
  }
}
