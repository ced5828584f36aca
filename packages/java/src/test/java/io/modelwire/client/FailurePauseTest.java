package io.modelwire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwire.client.internal.auth.FailurePause;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Token failures back off: min(max, initial × 2^(n−1)), jittered into its upper half, reset by a success. */
class FailurePauseTest {
  @Test
  void withoutJitterThePauseDoublesUpToTheCap() {
    FailurePause pause = new FailurePause(1_000, 30_000, false, () -> 0.0);
    List<Long> pauses = new ArrayList<>();
    for (int i = 0; i < 7; i++) pauses.add(pause.failed(0));
    assertEquals(List.of(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L), pauses);
    assertEquals(7, pause.count());
    for (int i = 0; i < 100; i++) pause.failed(0); // 2^(n-1) never overflows into a short pause
    assertEquals(30_000, pause.remainingMs(0));
  }

  @Test
  void fullJitterDrawsFromTheUpperHalf() {
    double[] next = {0.0};
    FailurePause pause = new FailurePause(1_000, 30_000, true, () -> next[0]);
    assertEquals(500, pause.failed(0), "random 0: half the pause");
    next[0] = 0.999_999;
    assertEquals(2_000, pause.failed(0), "random → 1: the whole pause");
    next[0] = 0.5;
    assertEquals(3_000, pause.failed(0), "the third pause (4 s) at random 0.5");
    for (int i = 0; i < 3; i++) pause.failed(0); // 8 s, 16 s, then the 30 s cap
    for (int i = 0; i < 50; i++) {
      next[0] = i / 50.0;
      long ms = pause.failed(0);
      assertTrue(ms >= 15_000 && ms <= 30_000, "capped pause in [15 s, 30 s]: " + ms);
    }
  }

  @Test
  void thePauseRunsOutAndASuccessResetsTheCount() {
    FailurePause pause = new FailurePause(1_000, 30_000, false, () -> 0.0);
    pause.failed(10_000);
    pause.failed(10_000);
    assertEquals(2_000, pause.remainingMs(10_000));
    assertEquals(500, pause.remainingMs(11_500));
    assertEquals(0, pause.remainingMs(12_000));
    pause.succeeded();
    assertEquals(0, pause.count());
    assertEquals(0, pause.remainingMs(12_000));
    assertEquals(1_000, pause.failed(12_000), "after a success the next failure pauses the initial time again");
  }
}
