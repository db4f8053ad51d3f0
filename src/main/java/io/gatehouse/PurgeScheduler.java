package io.gatehouse;

import io.gatehouse.core.Housekeeping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link Housekeeping#purge()} every interval on one daemon thread. A failure is logged and the next run
 * happens as scheduled: housekeeping never takes the server down. The first run is delayed by a random part
 * of the interval, so nodes started together do not purge in lockstep.
 */
final class PurgeScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PurgeScheduler.class);

    private final ScheduledExecutorService executor;

    private PurgeScheduler(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** @return a running scheduler, or null when {@code interval} is zero (purging disabled) */
    static PurgeScheduler start(Housekeeping housekeeping, Duration interval) {
        if (interval.isZero()) {
            LOG.info("expired-row purge disabled (purge-interval-seconds = 0)");
            return null;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-purge");
            t.setDaemon(true);
            return t;
        });
        long period = interval.toMillis();
        long firstDelay = period / 2 + ThreadLocalRandom.current().nextLong(period / 2 + 1);
        executor.scheduleWithFixedDelay(() -> run(housekeeping), firstDelay, period, TimeUnit.MILLISECONDS);
        return new PurgeScheduler(executor);
    }

    static void run(Housekeeping housekeeping) {
        try {
            long t0 = System.nanoTime();
            Housekeeping.Purged p = housekeeping.purge();
            if (p.total() > 0) {
                LOG.info("purged expired rows: {} tokens/JWT ids, {} grants/grant JWT ids, {} sessions, {} attempt windows, "
                                + "{} audit events in {} ms", p.tokens(), p.grants(), p.sessions(), p.attemptWindows(),
                        p.auditEvents(), (System.nanoTime() - t0) / 1_000_000);
            }
        } catch (Throwable e) {  // never let the scheduled task die: log and try again next time
            LOG.warn("purging expired rows failed; retrying at the next interval: {}", e.toString());
            LOG.debug("purge failure", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
