package io.millrace.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CleanerThrottleTest {

    @Test
    void holdsIoToTheRateWithOneSecondOfBurst() {
        ManualTime time = new ManualTime(0);
        CleanerThrottle throttle = new CleanerThrottle(1_000, time);
        assertEquals(0, throttle.reserve(1_000), "a second's worth goes at once");
        assertEquals(500_000_000L, throttle.reserve(500), "then half a second for 500 bytes");
        time.advance(500);
        assertEquals(250_000_000L, throttle.reserve(250));
        time.advance(10_000);
        assertEquals(0, throttle.reserve(1_000), "idle time refills at most one second");
        assertTrue(throttle.reserve(1) > 0);
    }

    @Test
    void kafkasDefaultIsUnlimited() {
        CleanerThrottle throttle = new CleanerThrottle(Double.MAX_VALUE, new ManualTime(0));
        assertTrue(throttle.unlimited());
        assertEquals(0, throttle.reserve(Long.MAX_VALUE / 2));
    }
}
