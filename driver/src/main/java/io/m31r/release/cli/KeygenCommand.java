package io.m31r.release.cli;

import io.m31r.release.failure.ExitCode;
import io.m31r.release.signing.KeyPairFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a release signing key pair: DIR/signing-key.pem (PKCS#8, ECDSA P-256, mode 0600) and",
      "DIR/signing-key.pub (the public key to give verifiers). Existing files are never overwritten (exit 5)."
    })
final class KeygenCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the key pair (created if missing).")
  Path out;

  @Override
  public Integer call() {
    KeyPairFiles.Written w = KeyPairFiles.generate(out);
    var o = spec.commandLine().getOut();
    o.println("private key: " + w.privateKey() + " (mode 0600; keep it out of git and logs)");
    o.println("public key:  " + w.publicKey() + " (hint " + w.hint() + ")");
    o.flush();
    return ExitCode.OK.code();
  }
}
