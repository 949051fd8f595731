package dev.mesa.sample;

import dev.mesa.Dispatcher;
import dev.mesa.Message;
import dev.mesa.sample.Payloads.Announcement;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends the users connected to this instance ({@link Presence#online()}) an {@code ANNOUNCEMENT}
 * every {@code sample.announcement.interval} (env {@code SAMPLE_ANNOUNCEMENT_INTERVAL}; default 5m;
 * {@code 0} turns it off), starting with "N people online here": with several instances, each
 * announces to its own users, so nobody gets one per instance. Also re-pushes this instance's {@code PRESENCE} every
 * {@value Presence#REFRESH_SECONDS} s, whatever the announcement interval.
 *
 * <p>An EJB singleton started with the application, with a non-persistent interval timer and a
 * non-persistent {@code @Schedule} (Liberty feature {@code enterpriseBeansLite-4.0}); it shows that
 * {@link Dispatcher} works from any bean, not only from the endpoint.
 */
@Singleton
@Startup
public class Announcer {

    static final String INTERVAL_KEY = "sample.announcement.interval";
    private static final Logger LOG = Logger.getLogger(Announcer.class.getName());
    private static final List<String> TIPS = List.of(
            "Click a name in the list to send a direct message.",
            "Direct messages to someone who is offline are delivered when they sign in.",
            "Close the tab and come back: you stay signed in, and the connection comes back by itself.");

    @Resource
    TimerService timerService;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Presence presence;

    @Inject
    @ConfigProperty(name = INTERVAL_KEY, defaultValue = "5m")
    String interval;

    private int next;

    @PostConstruct
    void schedule() {
        Duration every = Durations.parse(INTERVAL_KEY, interval);
        if (every.isZero()) {
            LOG.info("Periodic announcements are off (" + INTERVAL_KEY + "=0).");
            return;
        }
        long millis = Math.max(1000, every.toMillis());
        timerService.createIntervalTimer(millis, millis, new TimerConfig("announcement", false));
        LOG.info("Announcing every " + every + ".");
    }

    @Timeout
    void announce(Timer timer) {
        try {
            List<String> here = presence.online().stream().map(ChatUser::id).toList();
            if (here.isEmpty()) {
                return;
            }
            int online = here.size();
            String text = online + (online == 1 ? " person" : " people") + " online here. " + TIPS.get(next++ % TIPS.size());
            // To this instance's users only: with several instances, each announces to its own, once.
            // Transient: a periodic notice is not worth storing for people who are offline.
            dispatcher.dispatch(Message.transientOf("ANNOUNCEMENT", new Announcement("server", text, System.currentTimeMillis())), here);
        } catch (RuntimeException e) {
            // Never let an exception cancel the timer.
            LOG.log(Level.WARNING, "announcement failed", e);
        }
    }

    /**
     * Re-pushes this instance's {@code PRESENCE}, so that pages connected to other instances keep its
     * users (they forget an instance after {@value Presence#FORGET_AFTER_SECONDS} s without a snapshot).
     */
    @Schedule(hour = "*", minute = "*", second = "*/" + Presence.REFRESH_SECONDS, persistent = false)
    void refreshPresence() {
        try {
            presence.publish();
        } catch (RuntimeException e) {
            // Never let an exception cancel the timer.
            LOG.log(Level.WARNING, "presence refresh failed", e);
        }
    }
}
