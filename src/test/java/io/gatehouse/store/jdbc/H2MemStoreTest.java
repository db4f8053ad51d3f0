package io.gatehouse.store.jdbc;

import io.gatehouse.testing.TestDb;
import org.junit.jupiter.api.Nested;

/** The store contracts against in-memory H2; one database per nested class. */
class H2MemStoreTest {
    @Nested
    class Clients extends ClientRepositoryContract {
        @Override
        protected TestDb openDb() {
            return TestDb.h2Mem();
        }
    }

    @Nested
    class Tokens extends TokenStoreContract {
        @Override
        protected TestDb openDb() {
            return TestDb.h2Mem();
        }
    }

    @Nested
    class Keys extends KeyStoreContract {
        @Override
        protected TestDb openDb() {
            return TestDb.h2Mem();
        }
    }

    @Nested
    class Purge extends PurgeContract {
        @Override
        protected TestDb openDb() {
            return TestDb.h2Mem();
        }
    }
}
