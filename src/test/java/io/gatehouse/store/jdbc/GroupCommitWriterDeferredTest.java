package io.gatehouse.store.jdbc;

import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.gatehouse.store.jdbc.GroupCommitWriterFailureTest.connection;
import static io.gatehouse.store.jdbc.GroupCommitWriterFailureTest.dataSource;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link GroupCommitWriter#submitDeferred}: work nobody waits for rides along with the next write somebody waits for
 * (one commit for both, the deferred one first), and is committed on its own when no such write comes.
 */
class GroupCommitWriterDeferredTest {
    /** What the writer did, in order: "run NAME" per unit, "commit" per commit. */
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final DataSource ds = dataSource(() -> connection(method -> {
        if (method.equals("commit")) events.add("commit");
        return null;
    }));

    private Database.Work<Integer> unit(String name) {
        return c -> {
            events.add("run " + name);
            return 1;
        };
    }

    @Test
    void deferredWhenAWaitedForWriteFollowsThenBothInOneCommitDeferredFirst() {
        try (GroupCommitWriter w = new GroupCommitWriter(ds, GroupCommitWriter.Transactions.JDBC, "test")) {
            w.submitDeferred(unit("audit"));
            assertEquals(1, w.submit(unit("session")));
            assertEquals(List.of("run audit", "run session", "commit"), events, "one commit, in the order submitted");
        }
    }

    @Test
    void deferredWhenNothingFollowsThenCommittedAloneSoonAndAtClose() throws Exception {
        try (GroupCommitWriter w = new GroupCommitWriter(ds, GroupCommitWriter.Transactions.JDBC, "test")) {
            long t0 = System.nanoTime();
            w.submitDeferred(unit("a"));
            while (!events.contains("commit")) {
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "never committed");
                Thread.sleep(1);
            }
            assertEquals(List.of("run a", "commit"), events);
            events.clear();
            w.submitDeferred(unit("b"));
        }  // close: not lost
        assertEquals(List.of("run b", "commit"), events);
    }

    @Test
    void deferredWhenItFailsThenOnlyItIsLostAndTheWaitedForWriteCommits() {
        try (GroupCommitWriter w = new GroupCommitWriter(ds, GroupCommitWriter.Transactions.JDBC, "test")) {
            w.submitDeferred(c -> {
                events.add("run bad");
                throw new java.sql.SQLException("constraint", "23505");
            });
            assertEquals(1, w.submit(unit("good")));
            assertEquals("commit", events.getLast());
            assertEquals(List.of("run good", "commit"), events.subList(events.size() - 2, events.size()),
                    "the good unit is committed on its own after the batch failed: " + events);
        }
    }
}
