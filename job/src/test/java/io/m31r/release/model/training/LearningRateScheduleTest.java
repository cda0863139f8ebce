package io.m31r.release.model.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  @Test
  void warmsUpLinearlyThenFollowsAHalfCosineDownToTheMinimum() {
    LearningRateSchedule s = new LearningRateSchedule(1e-2, 1e-4, 10, 110);
    assertEquals(1e-3, s.at(0), 1e-15);
    assertEquals(5e-3, s.at(4), 1e-15);
    assertEquals(1e-2, s.at(9), 1e-15);
    assertEquals(1e-2, s.at(10), 1e-15);
    // Halfway through the cosine part: the mean of the two ends.
    assertEquals((1e-2 + 1e-4) / 2, s.at(10 + 99 / 2) , 2e-4);
    assertEquals(1e-4, s.at(109), 1e-15);
    for (int step = 10; step < 109; step++) {
      assertTrue(s.at(step + 1) <= s.at(step), "not decreasing at " + step);
    }
  }

  @Test
  void refusesAnInconsistentSchedule() {
    assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1e-3, 1e-2, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1e-3, 0, 11, 10));
  }
}
