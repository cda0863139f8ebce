package io.m31r.release.pipeline;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.model.safetensors.SafetensorsFile;
import io.m31r.release.preflight.PickleCheck;
import io.m31r.release.preflight.SecretFinding;
import io.m31r.release.preflight.SecretScan;
import io.m31r.release.preflight.UrlCheck;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Section 25 on the files a release ships: no pickle, no secrets in the config, the tokenizer or the
 * checkpoint's {@code __metadata__} (nor in {@code alsoScanned}), no web URLs in the config. Preflight
 * runs it on the sources, to refuse before any heavy work; the freeze stage runs it again on the
 * frozen copies, which are what is released, so a source replaced in between is not shipped unscanned.
 */
final class ShippedFileScan {
  /** What the scan read, for the caller to use rather than read again. */
  record Read(String configText, Map<String, String> modelMetadata) {}

  private ShippedFileScan() {}

  static Read require(Path model, Path tokenizer, Path config, List<Path> alsoScanned) {
    PickleCheck.requireNotPickle(model);
    PickleCheck.requireNotPickle(tokenizer);
    PickleCheck.requireNotPickle(config);
    byte[] configBytes = read(config);
    Map<String, String> metadata = SafetensorsFile.open(model).metadata();
    List<SecretFinding> findings = new ArrayList<>();
    // Undecodable bytes become U+FFFD and split runs, as for every scanned file.
    findings.addAll(SecretScan.scan(config.toString(), new String(configBytes, StandardCharsets.UTF_8)));
    findings.addAll(SecretScan.scanFile(tokenizer));
    for (Path p : alsoScanned) {
      findings.addAll(SecretScan.scanFile(p));
    }
    findings.addAll(SecretScan.scanMetadata("model.safetensors __metadata__", metadata));
    SecretScan.requireNone(findings);
    String configText;
    try {
      configText = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(configBytes)).toString();
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + config + ": " + e.getMessage(), e);
    }
    UrlCheck.requireNoUrlsInConfig(String.valueOf(config.getFileName()), configText);
    return new Read(configText, metadata);
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new BadInputException(file + " does not exist", e);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
