package dev.mesa.runtime;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waiting for a condition, for tests of things that happen on other threads. */
public final class Waits {

    private Waits() {
    }

    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
