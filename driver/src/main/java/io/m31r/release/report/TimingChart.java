package io.m31r.release.report;

import java.util.List;

/**
 * The horizontal bar chart of stage timings, as inline SVG: one row per stage in pipeline order,
 * bar lengths proportional to seconds, the longest stage spanning the whole plot.
 */
final class TimingChart {
  static final String ID = "chart-timings";
  static final double PLOT_WIDTH = 560;

  private static final double ROW = 24;
  private static final double BAR = 16;
  private static final double TOP = 8;
  private static final double VALUE_SPACE = 80;
  private static final int LABEL_CHARS = 32;
  private static final double CHAR_WIDTH = 6.6;

  private TimingChart() {}

  static String render(List<StageTiming> stages) {
    double max = stages.stream().mapToDouble(StageTiming::seconds).max().orElse(0);
    int longest = stages.stream().mapToInt(s -> Html.shorten(s.stage(), LABEL_CHARS).length()).max().orElse(1);
    double left = 12 + longest * CHAR_WIDTH;
    double width = left + PLOT_WIDTH + VALUE_SPACE;
    double height = TOP * 2 + stages.size() * ROW;

    StringBuilder svg = new StringBuilder();
    svg.append("<svg id=\"").append(ID).append("\" class=\"chart\" role=\"img\" aria-labelledby=\"").append(ID)
        .append("-title\" width=\"").append(Numbers.px(width)).append("\" height=\"").append(Numbers.px(height))
        .append("\" viewBox=\"0 0 ").append(Numbers.px(width)).append(' ').append(Numbers.px(height)).append("\">\n");
    svg.append("<title id=\"").append(ID).append("-title\">Seconds spent in each stage</title>\n");
    for (int i = 0; i < stages.size(); i++) {
      StageTiming t = stages.get(i);
      String name = Html.escape(t.stage());
      double y = TOP + i * ROW;
      // A run whose stages all took 0 s has nothing to scale by: every bar is then empty.
      double w = max == 0 ? 0 : t.seconds() / max * PLOT_WIDTH;
      svg.append("<text class=\"label\" x=\"").append(Numbers.px(left - 8)).append("\" y=\"")
          .append(Numbers.px(y + BAR - 4)).append("\" text-anchor=\"end\">")
          .append(Html.escape(Html.shorten(t.stage(), LABEL_CHARS))).append("</text>");
      svg.append("<rect class=\"bar timing\" data-stage=\"").append(name).append("\" data-value=\"")
          .append(Numbers.exact(t.seconds())).append("\" x=\"").append(Numbers.px(left)).append("\" y=\"")
          .append(Numbers.px(y)).append("\" width=\"").append(Numbers.px(w)).append("\" height=\"")
          .append(Numbers.px(BAR)).append("\"><title>").append(name).append(": ").append(Numbers.seconds(t.seconds()))
          .append("</title></rect>");
      svg.append("<text class=\"value\" x=\"").append(Numbers.px(left + w + 6)).append("\" y=\"")
          .append(Numbers.px(y + BAR - 4)).append("\">").append(Numbers.seconds(t.seconds())).append("</text>\n");
    }
    svg.append("</svg>\n");
    return svg.toString();
  }
}
