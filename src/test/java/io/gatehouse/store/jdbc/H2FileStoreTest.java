package io.gatehouse.store.jdbc;

import io.gatehouse.testing.TestDb;
import org.junit.jupiter.api.Nested;

/** The store contracts against an H2 file opened with the production URL (Database.embeddedUrl); one database per nested class. */
class H2FileStoreTest {
    @Nested
    class Clients extends ClientRepositoryContract {
        @Override
        protected TestDb openDb() {
            return TestDb.h2File();
        }
    }

    @Nested
    class Tokens extends TokenStoreContract {
        @Override
        protected TestDb openDb() {
            return TestDb.h2File();
        }
    }

    @Nested
    class Keys extends KeyStoreContract {
        @Override
        protected TestDb openDb() {
            return TestDb.h2File();
        }
    }
}
