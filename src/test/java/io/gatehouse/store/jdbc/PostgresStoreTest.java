package io.gatehouse.store.jdbc;

import io.gatehouse.testing.TestDb;
import org.junit.jupiter.api.Nested;

/**
 * The store contracts against PostgreSQL: a fresh schema per nested class in the server ./run-tests starts
 * (skipped without GATEHOUSE_TEST_PG_URL; fails instead on CI when PostgreSQL is installed).
 */
class PostgresStoreTest {
    @Nested
    class Clients extends ClientRepositoryContract {
        @Override
        protected TestDb openDb() {
            return TestDb.postgres();
        }
    }

    @Nested
    class Tokens extends TokenStoreContract {
        @Override
        protected TestDb openDb() {
            return TestDb.postgres();
        }
    }

    @Nested
    class Keys extends KeyStoreContract {
        @Override
        protected TestDb openDb() {
            return TestDb.postgres();
        }
    }

    @Nested
    class Purge extends PurgeContract {
        @Override
        protected TestDb openDb() {
            return TestDb.postgres();
        }
    }

    @Nested
    class Demo extends DemoDataContract {
        @Override
        protected TestDb openDb() {
            return TestDb.postgres();
        }
    }

    @Nested
    class AttemptCounters extends AttemptCountersContract {
        @Override
        protected TestDb openDb() {
            return TestDb.postgres();
        }
    }

    @Nested
    class Admin extends AdminStoreContract {
        @Override
        protected TestDb openDb() {
            return TestDb.postgres();
        }
    }

    @Nested
    class Grants extends GrantStoreContract {
        @Override
        protected TestDb openDb() {
            return TestDb.postgres();
        }
    }
}
