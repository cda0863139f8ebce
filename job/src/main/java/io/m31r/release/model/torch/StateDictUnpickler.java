package io.m31r.release.model.torch;

import io.m31r.release.formats.StrictUtf8;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code data.pkl} of a {@code torch.save(model.state_dict())} archive without being a
 * pickle machine: it knows a dozen and a half opcodes and three kinds of global, and builds plain
 * Java values from them. The rule is {@code torch.load(weights_only=True)}'s: a global outside
 * {@link #ALLOWED_GLOBALS} is refused the moment its opcode is read, by name, and nothing a pickle
 * names is ever looked up or called. The only "calls" are the three this class performs itself
 * (an empty {@code OrderedDict}, {@code _rebuild_tensor_v2} as a record, storages as references).
 */
final class StateDictUnpickler {
  static final String ORDERED_DICT = "collections.OrderedDict";
  static final String REBUILD_TENSOR_V2 = "torch._utils._rebuild_tensor_v2";
  private static final Set<String> STORAGE_CLASSES =
      Set.of(
          "FloatStorage", "HalfStorage", "BFloat16Storage", "DoubleStorage", "LongStorage", "IntStorage",
          "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage");
  static final Set<String> ALLOWED_GLOBALS;

  static {
    Set<String> allowed = new java.util.TreeSet<>(Set.of(ORDERED_DICT, REBUILD_TENSOR_V2));
    STORAGE_CLASSES.forEach(c -> allowed.add("torch." + c));
    ALLOWED_GLOBALS = Set.copyOf(allowed);
  }

  private static final int MAX_DEPTH = 100_000;

  /** A global the allow list admitted, as written in the pickle. */
  record Global(String module, String name) {
    String qualified() {
      return module + "." + name;
    }
  }

  /** A persistent id {@code ('storage', torch.XStorage, key, location, numel)}. */
  record StorageRef(String storageClass, String key, long numel) {}

  /** {@code _rebuild_tensor_v2(storage, offset, size, stride, ...)}, kept as data. */
  record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

  /** A Python tuple. */
  record Tuple(List<Object> items) {}

  /** A dict or OrderedDict. */
  static final class Dict {
    final Map<Object, Object> entries = new LinkedHashMap<>();
  }

  private static final Object MARK = new Object();
  private static final Object NONE = new Object();

  private final String file;
  private final ByteBuffer in;
  private final List<Object> stack = new ArrayList<>();
  private final List<Integer> marks = new ArrayList<>();
  private final Map<Long, Object> memo = new HashMap<>();
  private final Map<String, StorageRef> storages = new LinkedHashMap<>();

  private StateDictUnpickler(String file, byte[] pickle) {
    this.file = file;
    this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The object the pickle describes: for a state dict, a {@link Dict} of names to {@link TensorRef}s. */
  static Object read(String file, byte[] pickle) {
    return new StateDictUnpickler(file, pickle).run();
  }

  private Object run() {
    while (true) {
      if (!in.hasRemaining()) {
        throw malformed("ends without a STOP opcode");
      }
      int at = in.position();
      int op = in.get() & 0xff;
      switch (op) {
        case 0x80 -> { // PROTO
          int proto = u8();
          if (proto < 2 || proto > 5) {
            throw malformed("pickle protocol " + proto + " is not one torch.save writes");
          }
        }
        case 0x95 -> bytes(8); // FRAME: a length hint only
        case '.' -> { // STOP
          Object result = pop();
          if (!stack.isEmpty() || !marks.isEmpty()) {
            throw malformed("STOP with " + stack.size() + " values left on the stack");
          }
          return result;
        }
        case '(' -> { // MARK
          marks.add(stack.size());
          push(MARK);
        }
        case 'c' -> push(global(line(), line())); // GLOBAL
        case 0x93 -> { // STACK_GLOBAL
          Object name = pop();
          Object module = pop();
          if (!(module instanceof String m) || !(name instanceof String n)) {
            throw malformed("STACK_GLOBAL at offset " + at + " without two strings");
          }
          push(global(m, n));
        }
        case 'q' -> memo.put((long) u8(), peek()); // BINPUT
        case 'r' -> memo.put(u32(), peek()); // LONG_BINPUT
        case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
        case 'h' -> push(memoGet(u8())); // BINGET
        case 'j' -> push(memoGet(u32())); // LONG_BINGET
        case ')' -> push(new Tuple(List.of()));
        case 't' -> push(new Tuple(popToMark()));
        case 0x85 -> push(tupleOf(1));
        case 0x86 -> push(tupleOf(2));
        case 0x87 -> push(tupleOf(3));
        case '}' -> push(new Dict());
        case ']' -> push(new ArrayList<>());
        case 'a' -> { // APPEND
          Object v = pop();
          list(peek()).add(v);
        }
        case 'e' -> { // APPENDS
          List<Object> items = popToMark();
          list(peek()).addAll(items);
        }
        case 's' -> { // SETITEM
          Object v = pop();
          Object k = pop();
          put(peek(), k, v);
        }
        case 'u' -> { // SETITEMS
          List<Object> items = popToMark();
          if (items.size() % 2 != 0) {
            throw malformed("SETITEMS at offset " + at + " with an odd number of values");
          }
          Object target = peek();
          for (int i = 0; i < items.size(); i += 2) {
            put(target, items.get(i), items.get(i + 1));
          }
        }
        case 'X' -> push(utf8(length(u32()))); // BINUNICODE
        case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
        case 'J' -> { // BININT
          need(4);
          push((long) in.getInt());
        }
        case 'K' -> push((long) u8());
        case 'M' -> { // BININT2
          need(2);
          push((long) (in.getShort() & 0xffff));
        }
        case 0x8a -> push(long1()); // LONG1
        case 'G' -> push(ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT
        case 0x88 -> push(Boolean.TRUE);
        case 0x89 -> push(Boolean.FALSE);
        case 'N' -> push(NONE);
        case 'R' -> reduce(at);
        case 'b' -> build(at);
        case 'Q' -> push(persistentId(pop(), at)); // BINPERSID
        default -> throw new UnsafePickleException(
            file, "opcode " + opcodeName(op) + " at offset " + at + " is not one a state dict uses");
      }
      if (stack.size() > MAX_DEPTH) {
        throw malformed("stack deeper than " + MAX_DEPTH);
      }
    }
  }

  private Global global(String module, String name) {
    String qualified = module + "." + name;
    if (!ALLOWED_GLOBALS.contains(qualified)) {
      throw new UnsafePickleException(file, "global " + qualified + " is not allowed in a state dict");
    }
    return new Global(module, name);
  }

  private void reduce(int at) {
    Object args = pop();
    Object callable = pop();
    if (!(callable instanceof Global g)) {
      throw new UnsafePickleException(file, "REDUCE at offset " + at + " calls something that is not an allowed global");
    }
    if (!(args instanceof Tuple t)) {
      throw malformed("REDUCE at offset " + at + " without an argument tuple");
    }
    switch (g.qualified()) {
      case ORDERED_DICT -> {
        if (!t.items().isEmpty()) {
          throw new UnsafePickleException(file, "collections.OrderedDict called with arguments at offset " + at);
        }
        push(new Dict());
      }
      case REBUILD_TENSOR_V2 -> push(tensor(t.items(), at));
      default -> throw new UnsafePickleException(file, g.qualified() + " is a storage type and cannot be called (offset " + at + ")");
    }
  }

  /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
  private TensorRef tensor(List<Object> a, int at) {
    if (a.size() < 6 || a.size() > 7) {
      throw malformed("_rebuild_tensor_v2 at offset " + at + " has " + a.size() + " arguments, not 6 or 7");
    }
    if (!(a.get(0) instanceof StorageRef storage)) {
      throw malformed("_rebuild_tensor_v2 at offset " + at + ": first argument is not a storage");
    }
    long offset = integer(a.get(1), "storage offset", at);
    long[] size = ints(a.get(2), "size", at);
    long[] stride = ints(a.get(3), "stride", at);
    if (size.length != stride.length) {
      throw malformed("_rebuild_tensor_v2 at offset " + at + ": size and stride differ in length");
    }
    if (!(a.get(4) instanceof Boolean)) {
      throw malformed("_rebuild_tensor_v2 at offset " + at + ": requires_grad is not a bool");
    }
    if (!(a.get(5) instanceof Dict hooks) || !hooks.entries.isEmpty()) {
      throw new UnsafePickleException(file, "tensor at offset " + at + " carries backward hooks");
    }
    if (a.size() == 7 && a.get(6) != NONE && !(a.get(6) instanceof Dict)) {
      throw malformed("_rebuild_tensor_v2 at offset " + at + ": metadata is not a dict");
    }
    return new TensorRef(storage, offset, size, stride);
  }

  /** BUILD on an OrderedDict sets attributes ({@code _metadata}, module versions): harmless, and dropped. */
  private void build(int at) {
    Object state = pop();
    if (!(peek() instanceof Dict) || !(state instanceof Dict)) {
      throw new UnsafePickleException(file, "BUILD at offset " + at + " on something other than a dict's attributes");
    }
  }

  private StorageRef persistentId(Object pid, int at) {
    if (!(pid instanceof Tuple t)
        || t.items().size() != 5
        || !"storage".equals(t.items().get(0))
        || !(t.items().get(1) instanceof Global g)
        || !g.module().equals("torch")
        || !STORAGE_CLASSES.contains(g.name())
        || !(t.items().get(2) instanceof String key)
        || !(t.items().get(3) instanceof String)) {
      throw malformed("persistent id at offset " + at + " is not ('storage', torch.<Type>Storage, key, location, numel)");
    }
    long numel = integer(t.items().get(4), "storage size", at);
    if (numel < 0 || !key.matches("[0-9A-Za-z_]{1,64}")) {
      throw malformed("storage '" + key + "' at offset " + at + " has a bad key or size");
    }
    StorageRef ref = new StorageRef(g.name(), key, numel);
    StorageRef earlier = storages.putIfAbsent(key, ref);
    if (earlier != null && !earlier.equals(ref)) {
      throw malformed("storage '" + key + "' is described twice differently");
    }
    return earlier != null ? earlier : ref;
  }

  private void put(Object target, Object k, Object v) {
    if (!(target instanceof Dict d)) {
      throw malformed("SETITEM on something that is not a dict");
    }
    if (!(k instanceof String) && !(k instanceof Long)) {
      throw malformed("dict key of type " + typeName(k));
    }
    d.entries.put(k, v);
  }

  @SuppressWarnings("unchecked")
  private List<Object> list(Object o) {
    if (!(o instanceof ArrayList)) {
      throw malformed("APPEND on something that is not a list");
    }
    return (List<Object>) o;
  }

  private long integer(Object o, String what, int at) {
    if (o instanceof Long l) {
      return l;
    }
    throw malformed(what + " at offset " + at + " is not an integer");
  }

  private long[] ints(Object o, String what, int at) {
    if (!(o instanceof Tuple t)) {
      throw malformed(what + " at offset " + at + " is not a tuple");
    }
    long[] out = new long[t.items().size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = integer(t.items().get(i), what, at);
      if (out[i] < 0) {
        throw malformed(what + " at offset " + at + " is negative");
      }
    }
    return out;
  }

  private Tuple tupleOf(int n) {
    Object[] items = new Object[n];
    for (int i = n - 1; i >= 0; i--) {
      items[i] = pop();
    }
    return new Tuple(List.of(items));
  }

  private List<Object> popToMark() {
    if (marks.isEmpty()) {
      throw malformed("an opcode needs a MARK and there is none");
    }
    int m = marks.remove(marks.size() - 1);
    List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
    stack.subList(m, stack.size()).clear();
    return items;
  }

  private void push(Object o) {
    stack.add(o);
  }

  private Object pop() {
    Object o = peek();
    stack.remove(stack.size() - 1);
    return o;
  }

  private Object peek() {
    if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
      throw malformed("stack underflow at offset " + in.position());
    }
    return stack.get(stack.size() - 1);
  }

  private Object memoGet(long index) {
    Object o = memo.get(index);
    if (o == null) {
      throw malformed("memo slot " + index + " read before it was written");
    }
    return o;
  }

  private int u8() {
    need(1);
    return in.get() & 0xff;
  }

  private long u32() {
    need(4);
    return in.getInt() & 0xffffffffL;
  }

  private int length(long n) {
    if (n > in.remaining()) {
      throw malformed("a string of " + n + " bytes runs past the end of the pickle");
    }
    return (int) n;
  }

  private byte[] bytes(int n) {
    need(n);
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  private void need(int n) {
    if (in.remaining() < n) {
      throw malformed("truncated at offset " + in.position());
    }
  }

  private Long long1() {
    int n = u8();
    if (n > 8) {
      throw malformed("integer of " + n + " bytes at offset " + in.position());
    }
    byte[] le = bytes(n);
    if (n == 0) {
      return 0L;
    }
    byte[] be = new byte[n];
    for (int i = 0; i < n; i++) {
      be[i] = le[n - 1 - i];
    }
    BigInteger v = new BigInteger(be);
    if (v.bitLength() > 63) {
      throw malformed("integer out of range at offset " + in.position());
    }
    return v.longValue();
  }

  private String utf8(int n) {
    return StrictUtf8.decode(bytes(n)).orElseThrow(() -> malformed("a string that is not UTF-8 at offset " + in.position()));
  }

  /** A GLOBAL operand: ASCII up to a newline. */
  private String line() {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = u8();
      if (c == '\n') {
        return sb.toString();
      }
      if (c < 0x20 || c > 0x7e || sb.length() > 256) {
        throw malformed("GLOBAL operand is not a printable name");
      }
      sb.append((char) c);
    }
  }

  private MalformedCheckpointException malformed(String problem) {
    return new MalformedCheckpointException(file, "data.pkl: " + problem);
  }

  static String typeName(Object o) {
    if (o instanceof Dict) {
      return "a dict";
    } else if (o instanceof Tuple) {
      return "a tuple";
    } else if (o instanceof List) {
      return "a list";
    } else if (o instanceof String) {
      return "a string";
    } else if (o instanceof Long || o instanceof Double || o instanceof Boolean) {
      return "a number";
    } else if (o instanceof StorageRef) {
      return "a storage";
    } else if (o instanceof Global g) {
      return g.qualified();
    }
    return o == NONE ? "None" : "an object";
  }

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry((int) 'i', "INST"), Map.entry((int) 'o', "OBJ"), Map.entry(0x81, "NEWOBJ"),
          Map.entry(0x92, "NEWOBJ_EX"), Map.entry((int) 'P', "PERSID"), Map.entry((int) 'S', "STRING"),
          Map.entry((int) 'V', "UNICODE"), Map.entry((int) 'I', "INT"), Map.entry((int) 'L', "LONG"),
          Map.entry((int) 'F', "FLOAT"), Map.entry(0x82, "EXT1"), Map.entry(0x83, "EXT2"),
          Map.entry(0x84, "EXT4"), Map.entry((int) 'B', "BINBYTES"), Map.entry((int) 'C', "SHORT_BINBYTES"),
          Map.entry(0x96, "BYTEARRAY8"), Map.entry(0x97, "NEXT_BUFFER"), Map.entry((int) 'p', "PUT"),
          Map.entry((int) 'g', "GET"), Map.entry((int) 'l', "LIST"), Map.entry((int) 'd', "DICT"),
          Map.entry((int) '0', "POP"), Map.entry((int) '2', "DUP"), Map.entry((int) '1', "POP_MARK"),
          Map.entry(0x8f, "EMPTY_SET"), Map.entry(0x90, "ADDITEMS"), Map.entry(0x91, "FROZENSET"));

  private static String opcodeName(int op) {
    return String.format("0x%02x", op) + (NAMES.containsKey(op) ? " (" + NAMES.get(op) + ")" : "");
  }
}
