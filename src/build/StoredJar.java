import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step (run as a source file: {@code java src/build/StoredJar.java JAR...}): rewrites each jar with
 * its entries stored, not deflated, in the same order and with the same times and contents.
 *
 * <p>Why: the release tarballs gzip the jars whole. Deflating 31,000 class files one by one leaves
 * gzip nothing to find, while stored they pack about a third smaller (the runtime tarball's ≤ 60 MB
 * target), and the JVM reads a stored class without inflating it.
 */
public final class StoredJar {
  private StoredJar() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: java StoredJar.java JAR...");
      System.exit(2);
    }
    for (String arg : args) {
      Path jar = Path.of(arg);
      Path tmp = jar.resolveSibling(jar.getFileName() + ".stored.tmp");
      try (ZipFile in = new ZipFile(jar.toFile());
          ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
        out.setMethod(ZipOutputStream.STORED);
        for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
          copyStored(in, e.nextElement(), out);
        }
      }
      Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static void copyStored(ZipFile in, ZipEntry from, ZipOutputStream out) throws IOException {
    byte[] data;
    try (InputStream s = in.getInputStream(from)) {
      data = s.readAllBytes();
    }
    CRC32 crc = new CRC32();
    crc.update(data);
    ZipEntry to = new ZipEntry(from.getName());
    to.setMethod(ZipEntry.STORED);
    to.setSize(data.length);
    to.setCompressedSize(data.length);
    to.setCrc(crc.getValue());
    // the DOS time as written (getTime would convert through this machine's time zone)
    to.setTimeLocal(from.getTimeLocal());
    out.putNextEntry(to);
    out.write(data);
    out.closeEntry();
  }
}
