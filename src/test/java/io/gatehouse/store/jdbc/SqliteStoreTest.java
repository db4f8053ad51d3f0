package io.gatehouse.store.jdbc;

import io.gatehouse.testing.TestDb;
import org.junit.jupiter.api.Nested;

/** The store contracts against the embedded SQLite file, opened as `serve` opens it; one database per nested class. */
class SqliteStoreTest {
    @Nested
    class Clients extends ClientRepositoryContract {
        @Override
        protected TestDb openDb() {
            return TestDb.sqlite();
        }
    }

    @Nested
    class Tokens extends TokenStoreContract {
        @Override
        protected TestDb openDb() {
            return TestDb.sqlite();
        }
    }

    @Nested
    class Keys extends KeyStoreContract {
        @Override
        protected TestDb openDb() {
            return TestDb.sqlite();
        }
    }

    @Nested
    class Purge extends PurgeContract {
        @Override
        protected TestDb openDb() {
            return TestDb.sqlite();
        }
    }

    @Nested
    class Demo extends DemoDataContract {
        @Override
        protected TestDb openDb() {
            return TestDb.sqlite();
        }
    }

    @Nested
    class AttemptCounters extends AttemptCountersContract {
        @Override
        protected TestDb openDb() {
            return TestDb.sqlite();
        }
    }

    @Nested
    class Admin extends AdminStoreContract {
        @Override
        protected TestDb openDb() {
            return TestDb.sqlite();
        }
    }

    @Nested
    class Grants extends GrantStoreContract {
        @Override
        protected TestDb openDb() {
            return TestDb.sqlite();
        }
    }
}
