package io.m31r.release.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.ReleaseException;
import io.m31r.release.model.torch.MalformedCheckpointException;
import io.m31r.release.model.torch.TorchCheckpoint;
import io.m31r.release.model.torch.UnsafePickleException;
import io.m31r.release.testing.UpstreamShared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restricted model.pt reader: what it reads, and everything it refuses without executing. */
class TorchCheckpointTest {
  @TempDir Path dir;

  @Test
  void readsAHandMadeStateDict() throws IOException {
    Path pt = dir.resolve("model.pt");
    TorchZips.write(pt, TorchZips.stateDictPickle("w", 6), Map.of("0", TorchZips.floats(TorchZips.sixFloats())));
    List<TorchCheckpoint.Tensor> t = TorchCheckpoint.read(pt);
    assertEquals(1, t.size());
    assertEquals("w", t.get(0).name());
    assertArrayEquals(new long[] {2, 3}, t.get(0).shape());
    assertArrayEquals(TorchZips.sixFloats(), t.get(0).values());
  }

  @Test
  void aPickleCallingOsSystemIsRefusedAndItsCommandNeverRuns() throws Exception {
    Path marker = dir.resolve("pwned");
    // Opcodes as a malicious __reduce__ writes them: GLOBAL os.system, a tuple with the command, REDUCE.
    byte[] pickle = new TorchZips.Pickle().op(0x80, 2).global("os", "system").op('(')
        .str("touch " + marker).op('t', 'R', '.').bytes();
    assertRefused(pickle, "os.system", marker);
  }

  @Test
  void aPickleMadeByPythonsOwnReduceIsRefusedAndItsCommandNeverRuns() throws Exception {
    Path marker = dir.resolve("pwned-by-python");
    Path pkl = dir.resolve("evil.pkl");
    // Python only writes the bytes (pickle.dumps); nothing here ever loads them.
    String script = "import os,pickle,sys\n"
        + "class E:\n  def __reduce__(self): return (os.system, (sys.argv[2],))\n"
        + "open(sys.argv[1],'wb').write(pickle.dumps({'w': E()}, protocol=2))\n";
    Process p = new ProcessBuilder("python3", "-c", script, pkl.toString(), "touch " + marker).redirectErrorStream(true).start();
    assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "python3 not available to write the pickle");
    assertRefused(Files.readAllBytes(pkl), "system", marker);
  }

  @Test
  void builtinsEvalIsRefused() throws Exception {
    Path marker = dir.resolve("eval-ran");
    byte[] pickle = new TorchZips.Pickle().op(0x80, 2).global("builtins", "eval").op('(')
        .str("__import__('os').system('touch " + marker + "')").op('t', 'R', '.').bytes();
    assertRefused(pickle, "builtins.eval", marker);
  }

  @Test
  void anUnlistedGlobalInsideAStateDictIsRefused() throws Exception {
    // A state dict whose tensor is rebuilt by a function outside the allow list.
    byte[] pickle = new TorchZips.Pickle().op(0x80, 2).op('}').str("w").global("subprocess", "Popen").op('(')
        .str("true").op('t', 'R', 's', '.').bytes();
    assertRefused(pickle, "subprocess.Popen", null);
  }

  @Test
  void opcodesThatImportAndCallByThemselvesAreRefused() throws Exception {
    // INST imports and calls in one opcode; it never appears in a state dict.
    byte[] pickle = new TorchZips.Pickle().op(0x80, 2).op('(').str("x").raw("icollections\nOrderedDict\n").op('.').bytes();
    assertRefused(pickle, "INST", null);
  }

  @Test
  void aTruncatedZipIsRefused() throws IOException {
    Path pt = dir.resolve("model.pt");
    TorchZips.write(pt, TorchZips.stateDictPickle("w", 6), Map.of("0", TorchZips.floats(TorchZips.sixFloats())));
    byte[] all = Files.readAllBytes(pt);
    Files.write(pt, Arrays.copyOf(all, all.length / 2));
    ReleaseException e = assertThrows(MalformedCheckpointException.class, () -> TorchCheckpoint.read(pt));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains("model.pt"), e.getMessage());
  }

  @Test
  void aMissingStorageEntryIsRefused() throws IOException {
    Path pt = dir.resolve("model.pt");
    TorchZips.write(pt, TorchZips.stateDictPickle("w", 6), Map.of());
    ReleaseException e = assertThrows(MalformedCheckpointException.class, () -> TorchCheckpoint.read(pt));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains("storage entry archive/data/0 is missing"), e.getMessage());
  }

  @Test
  void aStorageOfTheWrongSizeIsRefused() throws IOException {
    Path pt = dir.resolve("model.pt");
    TorchZips.write(pt, TorchZips.stateDictPickle("w", 6), Map.of("0", TorchZips.floats(new float[5])));
    ReleaseException e = assertThrows(MalformedCheckpointException.class, () -> TorchCheckpoint.read(pt));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains("is 20 bytes; its record says 6 x 4 = 24"), e.getMessage());
  }

  @Test
  void aTensorReachingPastItsStorageIsRefused() throws IOException {
    Path pt = dir.resolve("model.pt");
    // The record and the entry agree on 4 elements, but a 2x3 tensor needs 6.
    TorchZips.write(pt, TorchZips.stateDictPickle("w", 4), Map.of("0", TorchZips.floats(new float[4])));
    ReleaseException e = assertThrows(MalformedCheckpointException.class, () -> TorchCheckpoint.read(pt));
    assertTrue(e.getMessage().contains("reaches element 5 of storage 0, which holds 4"), e.getMessage());
  }

  @Test
  void theUpstreamOptimizerAndRngStateAreNotTakenForWeights() {
    Path step = UpstreamShared.run().orElse(null);
    assumeTrue(step != null, "upstream run not on this machine");
    Path ck = step.resolve("checkpoints/step_000500");
    for (String name : List.of("optimizer.pt", "rng_state.pt")) {
      ReleaseException e = assertThrows(MalformedCheckpointException.class, () -> TorchCheckpoint.read(ck.resolve(name)));
      assertTrue(e.getMessage().contains("not a model state dict"), name + ": " + e.getMessage());
    }
  }

  private void assertRefused(byte[] pickle, String named, Path marker) throws IOException {
    Path pt = dir.resolve("hostile.pt");
    TorchZips.write(pt, pickle, Map.of());
    ReleaseException e = assertThrows(UnsafePickleException.class, () -> TorchCheckpoint.read(pt));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains(named), e.getMessage());
    assertTrue(e.getMessage().contains("hostile.pt"), e.getMessage());
    if (marker != null) {
      assertFalse(Files.exists(marker), "the pickle's command ran");
    }
  }
}
