package io.m31r.release.model.bundle;

import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.Sha256sumListing;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bundle's {@code checksum.txt} in GNU {@code sha256sum} text form. A line that is not exactly
 * {@code <64 hex>  <name>} (or the binary-mode {@code " *"} separator) makes the whole file
 * untrustworthy, and so does a name that would reach outside the bundle directory.
 */
public record ChecksumFile(Map<String, String> digestsByName) {
  private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *](.+)");

  public ChecksumFile {
    digestsByName = Collections.unmodifiableMap(new LinkedHashMap<>(digestsByName));
  }

  public static ChecksumFile read(Path file) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IntegrityException(ReleaseFiles.CHECKSUM + " is not valid UTF-8", e);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> digests = new LinkedHashMap<>();
    List<String> lines = Sha256sumListing.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = LINE.matcher(lines.get(i));
      if (!m.matches()) {
        throw new IntegrityException(ReleaseFiles.CHECKSUM + " line " + (i + 1) + " is not '<sha256>  <name>'");
      }
      String name = m.group(2);
      if (!isPlainRelative(name)) {
        throw new IntegrityException(ReleaseFiles.CHECKSUM + " line " + (i + 1) + " names a path outside the bundle: " + name);
      }
      if (digests.put(name, m.group(1)) != null) {
        throw new IntegrityException(ReleaseFiles.CHECKSUM + " lists " + name + " twice");
      }
    }
    if (digests.isEmpty()) {
      throw new IntegrityException(ReleaseFiles.CHECKSUM + " lists no files");
    }
    return new ChecksumFile(digests);
  }

  private static boolean isPlainRelative(String name) {
    if (name.startsWith("/") || name.contains("\\")) {
      return false;
    }
    for (String part : name.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }
}
