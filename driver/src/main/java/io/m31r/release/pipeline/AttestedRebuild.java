package io.m31r.release.pipeline;

import io.m31r.release.attest.RebuildAttestation;
import io.m31r.release.attest.RebuildRecord;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.signing.TrustedKeys;
import io.m31r.release.signing.UnsignedReleaseException;
import io.m31r.release.signing.UntrustedKeyException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Section 10 for a rebuild done elsewhere: instead of retraining, the record of that rebuild is
 * checked. A release that may claim a rebuild (types A, B, C) needs the record signed by a key
 * trusted at the release's date; its inputs must be the frozen ones and its model the candidate.
 * An unsigned record, or one without keys to check it, is at most an experiment's (type D) note.
 * Every refusal names the record file and the check; all are exit 4 but a malformed record (2).
 */
final class AttestedRebuild {
  /** The safetensors {@code __metadata__} key where a candidate may record the device kind it was trained on. */
  static final String DEVICE = "device";

  private AttestedRebuild() {}

  /**
   * @param candidateMetadata the candidate's safetensors {@code __metadata__} (its device kind, if recorded)
   * @param releaseDate the date the release will carry: the trusted key must be valid then, as for release signatures
   */
  static ReleaseMetadata.Rebuild check(
      RebuildAttestationSource src, FrozenInputs frozen, String candidateSha256, Map<String, String> candidateMetadata,
      ReleaseType type, Instant releaseDate) {
    RebuildAttestation att = RebuildAttestation.read(src.record());
    String source = att.source();
    Optional<String> signer = signer(att, src.keys(), releaseDate);
    if (signer.isEmpty() && type != ReleaseType.D) {
      if (!att.signed()) {
        throw new UnsignedReleaseException(
            "unsigned: " + source + " carries no signature; an unsigned rebuild record can support type D only, not type " + type.name());
      }
      throw new BadInputException(
          source + ": no release.rebuild_trusted_keys to check its signature with; a type " + type.name()
              + " release needs the record signed by a trusted key");
    }
    RebuildRecord r = att.record();
    String recordedDevice = candidateMetadata.get(DEVICE);
    if (recordedDevice != null && !recordedDevice.equals(r.machine().device())) {
      throw new IntegrityException(
          source + ": device differs: the record's rebuild ran on '" + r.machine().device() + "', the candidate records '"
              + recordedDevice + "' (GPU kernels give no identity across device kinds)");
    }
    List<String> differ = new ArrayList<>();
    same(differ, "dataset_root_sha256", r.inputs().datasetRootSha256(), frozen.datasetSha256());
    same(differ, "tokenizer_sha256", r.inputs().tokenizerSha256(), frozen.tokenizerSha256());
    same(differ, "training_config_sha256", r.inputs().trainingConfigSha256(), frozen.configSha256());
    same(differ, "seed", Long.toString(r.inputs().seed()), Long.toString(frozen.seed()));
    if (!differ.isEmpty()) {
      throw new IntegrityException(source + ": inputs differ from the frozen ones: " + String.join("; ", differ));
    }
    if (!r.modelSha256().equals(candidateSha256)) {
      throw new IntegrityException(
          source + ": model digest differs: the record's rebuilt model.safetensors is " + r.modelSha256()
              + ", the candidate's " + candidateSha256 + "; the release is invalid (section 10)");
    }
    return ReleaseMetadata.Rebuild.attested(r.command(), r.modelSha256(), signer.orElse(null), att.fileSha256(), r.machine().device());
  }

  /** The hint of the trusted key that signed, valid at {@code date}; empty for a record there are no keys for or no signature on. */
  private static Optional<String> signer(RebuildAttestation att, Optional<TrustedKeys> keys, Instant date) {
    if (att.envelope().isEmpty() || keys.isEmpty()) {
      return Optional.empty();
    }
    TrustedKeys.TrustedKey key = att.envelope().get().signer(keys.get(), att.source());
    if (!key.validAt(date)) {
      throw new UntrustedKeyException(
          att.source() + ": signed by an untrusted key: '" + key.name() + "' is " + key.window() + ", the release is dated " + date);
    }
    return Optional.of(key.hint());
  }

  private static void same(List<String> differ, String field, String recorded, String frozen) {
    if (!recorded.equals(frozen)) {
      differ.add(field + " " + recorded + " in the record, " + frozen + " frozen");
    }
  }
}
