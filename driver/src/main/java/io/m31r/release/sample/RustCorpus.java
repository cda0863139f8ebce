package io.m31r.release.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small synthetic corpus of short, varied, compiling Rust functions, generated from a seed.
 * Every function is a complete item; the same seed always yields the same list.
 */
public final class RustCorpus {
  /**
   * One function: a stable name, its source text (ending in a newline) and assertions that check
   * its behaviour, written for a {@code #[test]} body.
   */
  public record Function(String name, String source, List<String> checks) {
    public Function {
      checks = List.copyOf(checks);
    }

    /** The source up to and including the line that opens the body: where a prompt stops. */
    public String signature() {
      return source.substring(0, source.indexOf("{\n") + 2);
    }
  }

  private static final String[] INT_TYPES = {"i32", "i64", "u32", "u64", "usize"};
  // name, operator, and the result for a = 12, b = 5 (fits every type used)
  private static final String[][] BINARY_OPS = {
    {"add", "+", "17"}, {"sub", "-", "7"}, {"mul", "*", "60"}, {"rem", "%", "2"},
    {"bitand", "&", "4"}, {"bitor", "|", "13"}, {"bitxor", "^", "9"}
  };
  // name, body, an argument that gives true, one that gives false
  private static final String[][] PREDICATES = {
    {"is_even", "n % 2 == 0", "4", "7"}, {"is_odd", "n % 2 == 1", "7", "4"}, {"is_zero", "n == 0", "0", "3"},
    {"is_multiple_of_three", "n % 3 == 0", "9", "10"}, {"is_small", "n < 10", "3", "12"},
    {"is_power_of_two", "n != 0 && n & (n - 1) == 0", "8", "6"}
  };
  // name, body, the result for [3, 8, 2], the result for an empty slice
  private static final String[][] SLICE_FOLDS = {
    {"sum", "xs.iter().sum()", "13", "0"}, {"product", "xs.iter().product()", "48", "1"},
    {"max_or_zero", "xs.iter().copied().max().unwrap_or(0)", "8", "0"},
    {"min_or_zero", "xs.iter().copied().min().unwrap_or(0)", "2", "0"},
    {"count_even", "xs.iter().filter(|x| *x % 2 == 0).count() as T", "2", "0"},
    {"first_or_zero", "xs.first().copied().unwrap_or(0)", "3", "0"},
    {"last_or_zero", "xs.last().copied().unwrap_or(0)", "2", "0"}
  };
  // name, body, an input and its result
  private static final String[][] STRING_FNS = {
    {"shout", "s.to_uppercase()", "Ab c", "AB C"}, {"whisper", "s.to_lowercase()", "Ab c", "ab c"},
    {"reversed", "s.chars().rev().collect()", "Ab c", "c bA"}, {"trimmed", "s.trim().to_string()", " hi ", "hi"},
    {"doubled", "format!(\"{}{}\", s, s)", "Ab", "AbAb"},
    {"without_spaces", "s.chars().filter(|c| !c.is_whitespace()).collect()", "a b c", "abc"}
  };

  private RustCorpus() {}

  public static List<Function> generate(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Function> out = new ArrayList<>();
    for (String[] op : BINARY_OPS) {
      String t = pick(rnd, INT_TYPES);
      String name = op[0] + "_" + t;
      out.add(new Function(name, "fn " + name + "(a: " + t + ", b: " + t + ") -> " + t + " {\n    a " + op[1] + " b\n}\n",
          List.of("assert_eq!(" + name + "(12, 5), " + op[2] + ");")));
    }
    for (String[] p : PREDICATES) {
      String t = pick(rnd, new String[] {"u32", "u64", "usize"});
      out.add(new Function(p[0], "fn " + p[0] + "(n: " + t + ") -> bool {\n    " + p[1] + "\n}\n",
          List.of("assert!(" + p[0] + "(" + p[2] + "));", "assert!(!" + p[0] + "(" + p[3] + "));")));
    }
    for (String[] f : SLICE_FOLDS) {
      String t = pick(rnd, new String[] {"i32", "i64", "u64"});
      String name = f[0] + "_" + t;
      String body = f[1].replace(" as T", " as " + t);
      out.add(new Function(name, "fn " + name + "(xs: &[" + t + "]) -> " + t + " {\n    " + body + "\n}\n",
          List.of("assert_eq!(" + name + "(&[3, 8, 2]), " + f[2] + ");", "assert_eq!(" + name + "(&[]), " + f[3] + ");")));
    }
    for (String[] f : STRING_FNS) {
      out.add(new Function(f[0], "fn " + f[0] + "(s: &str) -> String {\n    " + f[1] + "\n}\n",
          List.of("assert_eq!(" + f[0] + "(\"" + f[2] + "\"), \"" + f[3] + "\");")));
    }
    for (int i = 0; i < 6; i++) {
      int k = 2 + rnd.nextInt(8);
      String t = pick(rnd, INT_TYPES);
      String name = "scale_by_" + k + "_" + t;
      out.add(new Function(name, "fn " + name + "(x: " + t + ") -> " + t + " {\n    x * " + k + "\n}\n",
          List.of("assert_eq!(" + name + "(3), " + (3 * k) + ");", "assert_eq!(" + name + "(0), 0);")));
    }
    for (int i = 0; i < 4; i++) {
      int lo = rnd.nextInt(10);
      int hi = lo + 1 + rnd.nextInt(90);
      String name = "clamp_" + lo + "_" + hi;
      out.add(new Function(name,
          "fn " + name + "(x: i64) -> i64 {\n    if x < " + lo + " {\n        " + lo + "\n    } else if x > " + hi
              + " {\n        " + hi + "\n    } else {\n        x\n    }\n}\n",
          List.of("assert_eq!(" + name + "(" + (lo - 1) + "), " + lo + ");",
              "assert_eq!(" + name + "(" + (hi + 5) + "), " + hi + ");",
              "assert_eq!(" + name + "(" + ((lo + hi) / 2) + "), " + ((lo + hi) / 2) + ");")));
    }
    // Shuffle with the seed so that shards mix kinds, as a real corpus would.
    for (int i = out.size() - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      Function tmp = out.get(i);
      out.set(i, out.get(j));
      out.set(j, tmp);
    }
    return out;
  }

  private static String pick(SplittableRandom rnd, String[] options) {
    return options[rnd.nextInt(options.length)];
  }
}
