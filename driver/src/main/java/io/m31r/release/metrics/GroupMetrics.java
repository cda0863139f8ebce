package io.m31r.release.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.SortedMap;

/** pass@k and compile rate over one slice of the suite (a category, a difficulty). */
public record GroupMetrics(
    @JsonProperty("tasks") int tasks,
    @JsonProperty("samples") int samples,
    @JsonProperty("pass_at_k") SortedMap<String, Double> passAtK,
    @JsonProperty("compile_rate") double compileRate) {}
