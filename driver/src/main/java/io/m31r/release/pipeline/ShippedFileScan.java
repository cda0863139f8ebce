package io.m31r.release.pipeline;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.model.safetensors.SafetensorsFile;
import io.m31r.release.preflight.PickleCheck;
import io.m31r.release.preflight.SecretFinding;
import io.m31r.release.preflight.SecretScan;
import io.m31r.release.preflight.UrlCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Section 25 on the files a release ships: no pickle, no secrets in the config, the tokenizer or the
 * checkpoint's {@code __metadata__} (nor in {@code alsoScanned}), no web URLs in the config. Preflight
 * runs it on the sources, to refuse before any heavy work; the freeze stage runs it again on the
 * frozen copies, which are what is released, so a source replaced in between is not shipped unscanned.
 */
final class ShippedFileScan {
  private ShippedFileScan() {}

  static void require(Path model, Path tokenizer, Path config, List<Path> alsoScanned) {
    PickleCheck.requireNotPickle(model);
    PickleCheck.requireNotPickle(tokenizer);
    PickleCheck.requireNotPickle(config);
    List<SecretFinding> findings = new ArrayList<>();
    findings.addAll(SecretScan.scanFile(config));
    findings.addAll(SecretScan.scanFile(tokenizer));
    for (Path p : alsoScanned) {
      findings.addAll(SecretScan.scanFile(p));
    }
    findings.addAll(SecretScan.scanMetadata("model.safetensors __metadata__", SafetensorsFile.open(model).metadata()));
    SecretScan.requireNone(findings);
    try {
      UrlCheck.requireNoUrlsInConfig(String.valueOf(config.getFileName()), Files.readString(config, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + config + ": " + e.getMessage(), e);
    }
  }
}
