package io.gatehouse;

import io.gatehouse.core.token.SigningKeys;
import io.gatehouse.core.token.keys.KeyRing;
import io.gatehouse.core.token.keys.KeyRotation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every refresh interval (one daemon thread): carries out the due key state changes ({@link KeyRotation#tick}:
 * scheduled successors, promotions of published next keys, removal of retired keys whose tokens have expired),
 * then reloads this node's keys, so that a key created, promoted or removed by another node or by the CLI is seen
 * within one interval, with no restart. A failure (say, the database is down) is logged and retried next time;
 * the node keeps signing with the keys it has.
 */
final class KeyScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyScheduler.class);

    private final ScheduledExecutorService executor;

    private KeyScheduler(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    static KeyScheduler start(KeyRotation rotation, SigningKeys keys, String actor) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-keys");
            t.setDaemon(true);
            return t;
        });
        long period = rotation.policy().refreshInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> run(rotation, keys, actor), period, period, TimeUnit.MILLISECONDS);
        return new KeyScheduler(executor);
    }

    static void run(KeyRotation rotation, SigningKeys keys, String actor) {
        try {
            List<KeyRing.Step> done = rotation.tick(actor);
            keys.reload();
            if (!done.isEmpty()) LOG.info("signing keys: {}", done);
        } catch (Throwable e) {  // never let the scheduled task die: log and try again next time
            LOG.warn("refreshing the signing keys failed; keeping the loaded ones and retrying: {}", e.toString());
            LOG.debug("key refresh failure", e);
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
