package io.m31r.release.freeze;

import io.m31r.release.failure.BadInputException;
import java.util.regex.Pattern;

/**
 * A glob over '/'-separated relative paths: {@code *} and {@code ?} stay within one directory
 * level, {@code **} crosses levels ({@code **}{@code /} also matches no directory at all),
 * {@code [abc]} and {@code {a,b}} as in the shell. So {@code **}{@code /*.bin} matches both
 * {@code a.bin} and {@code x/y/a.bin}.
 */
public final class IncludeGlob {
  private final String glob;
  private final Pattern pattern;

  private IncludeGlob(String glob, Pattern pattern) {
    this.glob = glob;
    this.pattern = pattern;
  }

  public static IncludeGlob compile(String glob) {
    StringBuilder re = new StringBuilder();
    int braces = 0;
    boolean inClass = false;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (inClass) {
        if (c == ']') {
          inClass = false;
          re.append(']');
        } else if (c == '\\') {
          re.append("\\\\");
        } else {
          re.append(c);
        }
        continue;
      }
      switch (c) {
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            boolean slashFollows = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
            re.append(slashFollows ? "(?:.*/)?" : ".*");
            i += slashFollows ? 2 : 1;
          } else {
            re.append("[^/]*");
          }
        }
        case '?' -> re.append("[^/]");
        case '[' -> {
          inClass = true;
          re.append('[');
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '!') {
            re.append('^');
            i++;
          }
        }
        case '{' -> {
          braces++;
          re.append("(?:");
        }
        case '}' -> {
          if (braces == 0) {
            throw bad(glob, "unbalanced '}'");
          }
          braces--;
          re.append(')');
        }
        case ',' -> re.append(braces > 0 ? "|" : ",");
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (inClass) {
      throw bad(glob, "unclosed '['");
    }
    if (braces != 0) {
      throw bad(glob, "unclosed '{'");
    }
    return new IncludeGlob(glob, Pattern.compile(re.toString()));
  }

  private static BadInputException bad(String glob, String why) {
    return new BadInputException("--include '" + glob + "': " + why);
  }

  public boolean matches(String relativePath) {
    return pattern.matcher(relativePath).matches();
  }

  @Override
  public String toString() {
    return glob;
  }
}
