package dev.mesa.runtime;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * The one scheduler behind heartbeats, timeouts and paced redelivery: one
 * thread for the whole application, never a timer per connection. Tasks only
 * queue frames or start closes, so they never block it.
 */
@Singleton
class Timer {

    private static final Logger LOG = Logger.getLogger("dev.mesa");

    private final ScheduledThreadPoolExecutor executor;

    Timer() {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mesa-timer");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code task} every {@code periodMillis}; a throwing run is logged and the next one still happens. */
    ScheduledFuture<?> every(long periodMillis, Runnable task) {
        return executor.scheduleAtFixedRate(guarded(task), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    ScheduledFuture<?> after(long delayMillis, Runnable task) {
        return executor.schedule(guarded(task), delayMillis, TimeUnit.MILLISECONDS);
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "A Mesa timer task failed; the timer carries on", e);
            }
        };
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
