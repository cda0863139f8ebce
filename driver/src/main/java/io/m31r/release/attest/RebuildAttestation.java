package io.m31r.release.attest;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.formats.StrictMappers;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.signing.Dsse;
import io.m31r.release.signing.DsseEnvelope;
import io.m31r.release.signing.SignatureInvalidException;
import io.m31r.release.signing.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A rebuild record file: signed, a DSSE envelope around the record's statement (the signing
 * package's envelope, keys and ECDSA); unsigned, the bare statement. An unsigned record is trivial
 * to forge, so it can only ever support an experiment (type D).
 *
 * @param source how messages name the file: {@code rebuild attestation <path>}
 * @param fileSha256 the SHA-256 of the file's bytes, which metadata.json records
 */
public record RebuildAttestation(RebuildRecord record, Optional<DsseEnvelope> envelope, String fileSha256, String source) {

  public boolean signed() {
    return envelope.isPresent();
  }

  /** The file's bytes for {@code record}: a DSSE envelope signed with {@code key}, or the bare statement. */
  public static byte[] render(RebuildRecord record, Optional<SigningKey> key) {
    byte[] statement = record.statement();
    return key.map(k -> DsseEnvelope.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, statement, k).toJson()).orElse(statement);
  }

  /** Reads and parses; a missing, unreadable or malformed file is bad input (exit 2), a malformed envelope exit 4. */
  public static RebuildAttestation read(Path file) {
    String source = "rebuild attestation " + file;
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new BadInputException(source + ": no such file");
    } catch (IOException e) {
      throw new BadInputException(source + ": cannot be read: " + e.getMessage());
    }
    JsonNode top = json(bytes, source, "the file");
    if (top == null || !top.isObject()) {
      throw new BadInputException(source + ": not a JSON object");
    }
    if (top.has("payloadType") || top.has("signatures") || top.has("payload")) {
      DsseEnvelope env = DsseEnvelope.parse(bytes, source);
      if (!env.payloadType().equals(Dsse.IN_TOTO_PAYLOAD_TYPE)) {
        throw new SignatureInvalidException(source + ": payloadType " + env.payloadType() + " is not " + Dsse.IN_TOTO_PAYLOAD_TYPE);
      }
      RebuildRecord record = RebuildRecord.parse(json(env.payload(), source, "the signed payload"), source);
      return new RebuildAttestation(record, Optional.of(env), Sha256.hex(bytes), source);
    }
    return new RebuildAttestation(RebuildRecord.parse(top, source), Optional.empty(), Sha256.hex(bytes), source);
  }

  /** Writes a new file; an existing one is never replaced (exit 5 from the caller's check, here a race). */
  public static void write(Path file, byte[] bytes) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(file, bytes, java.nio.file.StandardOpenOption.CREATE_NEW);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new io.m31r.release.failure.ConflictException("rebuild attestation " + file + " already exists; it was left untouched");
    } catch (IOException e) {
      throw new InfrastructureException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode json(byte[] bytes, String source, String what) {
    try {
      return StrictMappers.json().readTree(bytes);
    } catch (IOException e) {
      throw new BadInputException(source + ": " + what + " is not JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
  }
}
