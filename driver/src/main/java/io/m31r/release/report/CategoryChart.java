package io.m31r.release.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The grouped bar chart of compile rate and pass@1 per category, as inline SVG. Each category is
 * one group; a previous release's value stands just left of the current one, in a lighter shade.
 * Bar heights are the rates on a fixed 0-100% axis, so charts of two releases compare by eye.
 */
final class CategoryChart {
  static final String ID = "chart-categories";
  static final double PLOT_HEIGHT = 240;

  private static final double TOP = 44;
  private static final double LEFT = 52;
  private static final double RIGHT = 16;
  private static final double BAR = 18;
  private static final double GROUP_GAP = 26;
  private static final int LABEL_CHARS = 28;
  private static final double CHAR_WIDTH = 6.2;

  private record Series(String metric, String label, boolean previous) {}

  private CategoryChart() {}

  static String render(List<CategoryMetrics> categories) {
    boolean anyPrevious = categories.stream().anyMatch(CategoryMetrics::hasPrevious);
    List<Series> series = new ArrayList<>();
    for (String[] m : new String[][] {{"compile_rate", "compile rate"}, {"pass_at_1", "pass@1"}}) {
      if (anyPrevious) {
        series.add(new Series(m[0], m[1] + " (previous)", true));
      }
      series.add(new Series(m[0], m[1] + " (this release)", false));
    }
    double groupWidth = series.size() * BAR + GROUP_GAP;
    int longest = categories.stream().mapToInt(c -> Html.shorten(c.category(), LABEL_CHARS).length()).max().orElse(1);
    // Labels are rotated 35 degrees: their vertical extent is about sin(35) of their length.
    double labelSpace = 18 + longest * CHAR_WIDTH * 0.58;
    double width = Math.max(LEFT + categories.size() * groupWidth + RIGHT, legendEnd(series) + RIGHT);
    double height = TOP + PLOT_HEIGHT + labelSpace;
    double baseline = TOP + PLOT_HEIGHT;

    StringBuilder svg = new StringBuilder();
    svg.append("<svg id=\"").append(ID).append("\" class=\"chart\" role=\"img\" aria-labelledby=\"")
        .append(ID).append("-title\" width=\"").append(Numbers.px(width)).append("\" height=\"")
        .append(Numbers.px(height)).append("\" viewBox=\"0 0 ").append(Numbers.px(width)).append(' ')
        .append(Numbers.px(height)).append("\">\n");
    svg.append("<title id=\"").append(ID).append("-title\">Compile rate and pass@1 per category")
        .append(anyPrevious ? ", this release against the previous one" : "").append("</title>\n");
    legend(svg, series);
    for (int i = 0; i <= 4; i++) {
      double y = baseline - PLOT_HEIGHT * i / 4;
      svg.append("<line class=\"grid\" x1=\"").append(Numbers.px(LEFT)).append("\" y1=\"").append(Numbers.px(y))
          .append("\" x2=\"").append(Numbers.px(width - RIGHT)).append("\" y2=\"").append(Numbers.px(y)).append("\"/>");
      svg.append("<text class=\"axis\" x=\"").append(Numbers.px(LEFT - 6)).append("\" y=\"").append(Numbers.px(y + 4))
          .append("\" text-anchor=\"end\">").append(i * 25).append("%</text>\n");
    }
    for (int c = 0; c < categories.size(); c++) {
      CategoryMetrics m = categories.get(c);
      double groupX = LEFT + GROUP_GAP / 2 + c * groupWidth;
      String name = Html.escape(m.category());
      svg.append("<g class=\"group\" data-category=\"").append(name).append("\">\n");
      for (int s = 0; s < series.size(); s++) {
        Series se = series.get(s);
        Double value = value(m, se);
        if (value == null) {
          continue;
        }
        double h = value * PLOT_HEIGHT;
        svg.append("<rect class=\"bar ").append(se.previous() ? "previous" : "current")
            .append("\" data-category=\"").append(name).append("\" data-metric=\"").append(se.metric())
            .append("\" data-value=\"").append(Numbers.exact(value)).append("\" x=\"")
            .append(Numbers.px(groupX + s * BAR)).append("\" y=\"").append(Numbers.px(baseline - h))
            .append("\" width=\"").append(Numbers.px(BAR - 2)).append("\" height=\"").append(Numbers.px(h))
            .append("\"><title>").append(name).append(": ").append(Html.escape(se.label())).append(' ')
            .append(Numbers.percent(value)).append("</title></rect>\n");
      }
      double labelX = groupX + series.size() * BAR / 2;
      svg.append("<text class=\"label\" x=\"").append(Numbers.px(labelX)).append("\" y=\"")
          .append(Numbers.px(baseline + 14)).append("\" text-anchor=\"end\" transform=\"rotate(-35 ")
          .append(Numbers.px(labelX)).append(' ').append(Numbers.px(baseline + 14)).append(")\">")
          .append(Html.escape(Html.shorten(m.category(), LABEL_CHARS))).append("</text>\n</g>\n");
    }
    svg.append("<line class=\"axis-line\" x1=\"").append(Numbers.px(LEFT)).append("\" y1=\"")
        .append(Numbers.px(baseline)).append("\" x2=\"").append(Numbers.px(width - RIGHT)).append("\" y2=\"")
        .append(Numbers.px(baseline)).append("\"/>\n</svg>\n");
    return svg.toString();
  }

  private static Double value(CategoryMetrics m, Series s) {
    boolean compile = s.metric().equals("compile_rate");
    if (s.previous()) {
      return compile ? m.previousCompileRate() : m.previousPassAt1();
    }
    return compile ? m.compileRate() : m.passAt1();
  }

  private static void legend(StringBuilder svg, List<Series> series) {
    double x = LEFT;
    for (Series s : series) {
      svg.append("<rect class=\"swatch ").append(s.previous() ? "previous" : "current").append("\" data-metric=\"")
          .append(s.metric()).append("\" x=\"").append(Numbers.px(x)).append("\" y=\"10\" width=\"12\" height=\"12\"/>");
      svg.append("<text class=\"legend\" x=\"").append(Numbers.px(x + 16)).append("\" y=\"20\">")
          .append(Html.escape(s.label())).append("</text>\n");
      x += legendItemWidth(s);
    }
  }

  private static double legendEnd(List<Series> series) {
    return LEFT + series.stream().mapToDouble(CategoryChart::legendItemWidth).sum();
  }

  private static double legendItemWidth(Series s) {
    return 16 + s.label().length() * CHAR_WIDTH + 18;
  }
}
