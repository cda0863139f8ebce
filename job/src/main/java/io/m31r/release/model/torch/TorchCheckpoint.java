package io.m31r.release.model.torch;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.model.torch.StateDictUnpickler.Dict;
import io.m31r.release.model.torch.StateDictUnpickler.StorageRef;
import io.m31r.release.model.torch.StateDictUnpickler.TensorRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A model's weights from a {@code torch.save(model.state_dict())} file: the zip archive
 * ({@code <name>/data.pkl}, {@code <name>/data/<key>} raw little-endian storages,
 * {@code <name>/byteorder}) read with {@link StateDictUnpickler}, every tensor copied out of its
 * storage and widened to F32. Every storage must be present with exactly the byte size its record
 * declares, every tensor must lie inside its storage, and the top-level object must map names to
 * tensors only: an optimizer or RNG state, also pickles of allowed globals, is refused as such.
 */
public final class TorchCheckpoint {
  private static final long MAX_PICKLE_BYTES = 64L << 20;

  /** One weight, row-major. */
  public record Tensor(String name, long[] shape, float[] values, String storageKey) {}

  private TorchCheckpoint() {}

  /** The state dict's tensors in the file's order. Tensors sharing a storage (tied weights) are each copied. */
  public static List<Tensor> read(Path pt) {
    String file = String.valueOf(pt);
    if (!Files.isRegularFile(pt)) {
      throw new MalformedCheckpointException(file, "no such file");
    }
    try (ZipFile zip = new ZipFile(pt.toFile())) {
      String prefix = archivePrefix(zip, file);
      ZipEntry order = zip.getEntry(prefix + "byteorder");
      if (order != null) {
        String byteOrder = new String(bytes(zip, order, 16, file), StandardCharsets.US_ASCII).strip();
        if (!byteOrder.equals("little")) {
          throw new MalformedCheckpointException(file, "byteorder is '" + byteOrder + "'; only little-endian storages are read");
        }
      }
      ZipEntry pickleEntry = zip.getEntry(prefix + "data.pkl");
      Object top = StateDictUnpickler.read(file, bytes(zip, pickleEntry, MAX_PICKLE_BYTES, file));
      Map<String, TensorRef> refs = stateDict(top, file);
      Map<String, ByteBuffer> storages = new HashMap<>();
      List<Tensor> out = new ArrayList<>();
      for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
        TensorRef ref = e.getValue();
        ByteBuffer storage = storages.get(ref.storage().key());
        if (storage == null) {
          storage = storage(zip, prefix, ref.storage(), file);
          storages.put(ref.storage().key(), storage);
        }
        out.add(copy(e.getKey(), ref, storage, file));
      }
      return Collections.unmodifiableList(out);
    } catch (ZipException e) {
      throw new MalformedCheckpointException(file, "not a readable torch.save zip archive (" + e.getMessage() + ")", e);
    } catch (NoSuchFileException e) {
      throw new MalformedCheckpointException(file, "no such file", e);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** torch.save writes every entry under one top folder, named after the file it was saved as. */
  private static String archivePrefix(ZipFile zip, String file) {
    List<String> pickles = new ArrayList<>();
    zip.stream().map(ZipEntry::getName)
        .filter(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length())
        .forEach(pickles::add);
    if (pickles.size() != 1) {
      throw new MalformedCheckpointException(
          file, pickles.isEmpty() ? "no <archive>/data.pkl entry; not a torch.save file" : "more than one data.pkl: " + pickles);
    }
    String p = pickles.get(0);
    return p.substring(0, p.length() - "data.pkl".length());
  }

  private static Map<String, TensorRef> stateDict(Object top, String file) {
    if (!(top instanceof Dict dict)) {
      throw new MalformedCheckpointException(file, "holds " + StateDictUnpickler.typeName(top) + ", not a model state dict");
    }
    Map<String, TensorRef> out = new LinkedHashMap<>();
    for (Map.Entry<Object, Object> e : dict.entries.entrySet()) {
      if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof TensorRef t)) {
        throw new MalformedCheckpointException(
            file, "is not a model state dict: key '" + e.getKey() + "' holds " + StateDictUnpickler.typeName(e.getValue())
                + ", not a tensor (an optimizer or RNG state is not model weights)");
      }
      out.put(name, t);
    }
    if (out.isEmpty()) {
      throw new MalformedCheckpointException(file, "is an empty state dict");
    }
    return out;
  }

  private static ByteBuffer storage(ZipFile zip, String prefix, StorageRef ref, String file) throws IOException {
    TorchDtype dtype = TorchDtype.ofStorageClass(ref.storageClass());
    if (dtype == null) {
      throw new MalformedCheckpointException(
          file, "storage " + ref.key() + " is torch." + ref.storageClass() + "; model weights must be float, half or bfloat16");
    }
    String name = prefix + "data/" + ref.key();
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new MalformedCheckpointException(file, "storage entry " + name + " is missing");
    }
    long expected = Math.multiplyExact(ref.numel(), dtype.bytes());
    if (entry.getSize() != expected) {
      throw new MalformedCheckpointException(
          file, "storage entry " + name + " is " + entry.getSize() + " bytes; its record says " + ref.numel() + " x "
              + dtype.bytes() + " = " + expected);
    }
    return ByteBuffer.wrap(bytes(zip, entry, expected, file)).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static Tensor copy(String name, TensorRef ref, ByteBuffer storage, String file) {
    TorchDtype dtype = TorchDtype.ofStorageClass(ref.storage().storageClass());
    long count = 1;
    long last = ref.offset();
    for (int i = 0; i < ref.size().length; i++) {
      count = Math.multiplyExact(count, ref.size()[i]);
      if (ref.size()[i] > 0) {
        last = Math.addExact(last, Math.multiplyExact(ref.size()[i] - 1, ref.stride()[i]));
      }
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new MalformedCheckpointException(file, "tensor '" + name + "' is too large to convert (" + count + " values)");
    }
    if (count > 0 && (ref.offset() < 0 || last >= ref.storage().numel())) {
      throw new MalformedCheckpointException(
          file, "tensor '" + name + "' reaches element " + last + " of storage " + ref.storage().key() + ", which holds "
              + ref.storage().numel());
    }
    float[] values = new float[(int) count];
    long[] index = new long[ref.size().length];
    for (int n = 0; n < values.length; n++) {
      long at = ref.offset();
      for (int i = 0; i < index.length; i++) {
        at += index[i] * ref.stride()[i];
      }
      values[n] = dtype.read(storage, at);
      for (int i = index.length - 1; i >= 0; i--) {
        if (++index[i] < ref.size()[i]) {
          break;
        }
        index[i] = 0;
      }
    }
    return new Tensor(name, ref.size().clone(), values, ref.storage().key());
  }

  /** An entry's bytes, checked against the size the zip declares (a damaged entry can lie). */
  private static byte[] bytes(ZipFile zip, ZipEntry entry, long max, String file) throws IOException {
    if (entry.getSize() < 0 || entry.getSize() > max) {
      throw new MalformedCheckpointException(file, entry.getName() + " has size " + entry.getSize() + " (at most " + max + ")");
    }
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] b = in.readNBytes((int) entry.getSize());
      if (b.length != entry.getSize() || in.read() != -1) {
        throw new MalformedCheckpointException(file, entry.getName() + " does not hold the " + entry.getSize() + " bytes the archive declares");
      }
      return b;
    }
  }
}
