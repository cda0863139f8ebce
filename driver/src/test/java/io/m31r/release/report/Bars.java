package io.m31r.release.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds chart bars in an HTML text, ours or a browser's serialization of its DOM. Attribute values
 * are matched up to their closing quote, since a browser may leave {@code >} unescaped inside them.
 */
final class Bars {
  private static final Pattern RECT = Pattern.compile("<rect((?:\\s+[\\w:-]+(?:=\"[^\"]*\")?)*)\\s*/?>");
  private static final Pattern ATTR = Pattern.compile("([\\w:-]+)=\"([^\"]*)\"");

  private Bars() {}

  /** Every {@code <rect>} whose class attribute is exactly {@code cls}, as attribute maps. */
  static List<Map<String, String>> withClass(String html, String cls) {
    List<Map<String, String>> out = new ArrayList<>();
    Matcher m = RECT.matcher(html);
    while (m.find()) {
      Map<String, String> attrs = new LinkedHashMap<>();
      Matcher a = ATTR.matcher(m.group(1));
      while (a.find()) {
        attrs.put(a.group(1), unescape(a.group(2)));
      }
      if (cls.equals(attrs.get("class"))) {
        out.add(attrs);
      }
    }
    return out;
  }

  static double number(Map<String, String> bar, String attr) {
    return Double.parseDouble(bar.get(attr));
  }

  private static String unescape(String s) {
    return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&amp;", "&");
  }
}
