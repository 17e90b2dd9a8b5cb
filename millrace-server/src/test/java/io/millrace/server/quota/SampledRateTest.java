package io.millrace.server.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SampledRateTest {
    private static final QuotaWindows ELEVEN_SECONDS = new QuotaWindows(11, 1000);

    @Test
    void aShortHistoryIsMeasuredOverAtLeastSamplesMinusOneWindows() {
        SampledRate rate = new SampledRate(ELEVEN_SECONDS);
        rate.record(1000, 50_000);
        assertEquals(10_000, rate.windowMs(50_000));
        assertEquals(100.0, rate.rate(50_000), 1e-9);
        rate.record(1000, 52_500);
        assertEquals(10_500, rate.windowMs(52_500), "2.5 s elapsed, two full windows: eight more added");
        assertEquals(2000 / 10.5, rate.rate(52_500), 1e-9);
    }

    @Test
    void aLongHistoryIsMeasuredOverTheTimeItCovers() {
        SampledRate rate = new SampledRate(ELEVEN_SECONDS);
        for (long t = 0; t <= 10_500; t += 500) {
            rate.record(100, t);
        }
        // samples start at 0, 1000, ..., 10000: the oldest is 10.5 s old
        assertEquals(10_500, rate.windowMs(10_500));
        assertEquals(22 * 100 / 10.5, rate.rate(10_500), 1e-9);
    }

    @Test
    void samplesOlderThanAllWindowsAreForgotten() {
        SampledRate rate = new SampledRate(new QuotaWindows(2, 1000));
        rate.record(500, 0);
        assertEquals(500.0, rate.rate(0), 1e-9, "one window minimum");
        rate.record(300, 1500);
        assertEquals(800 / 1.5, rate.rate(1500), 1e-9);
        assertEquals(300 / 1.5, rate.rate(2000), 1e-9, "the first sample started 2 windows ago: forgotten");
        assertEquals(0.0, rate.rate(10_000), 1e-9);
        assertTrue(rate.windowMs(10_000) >= 1);
    }
}
