package io.gatehouse.store.jdbc;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.gatehouse.Gatehouse;
import io.gatehouse.Main;
import io.gatehouse.admin.ClientAdmin;
import io.gatehouse.config.KeyConfig;
import io.gatehouse.core.SecretHasher;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.port.KeyStore.State;
import io.gatehouse.core.port.KeyStore.StoredKey;
import io.gatehouse.core.token.keys.KeyPolicy;
import io.gatehouse.testing.Fakes;
import io.gatehouse.testing.Http;
import io.gatehouse.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two nodes on one PostgreSQL agree on rotation: a key created through one (the CLI) is published by both within one
 * refresh interval, neither signs with it before it has been published for max-age plus a refresh, both sign with it
 * within one refresh interval after it may, and exactly one of them promotes it. JWKS max-age 2 s here, so nodes
 * refresh every second; the nodes share a clock the test moves.
 */
class KeyRotationMultiNodeTest {
    static final Duration MAX_AGE = Duration.ofSeconds(2);
    static TestDb pg;
    static Gatehouse a;
    static Gatehouse b;
    static final Fakes.MutableClock clock = new Fakes.MutableClock(Instant.now());

    @BeforeAll
    static void startTwoNodes() throws Exception {
        pg = TestDb.postgres();
        var base = pg.serverConfig();
        var cfg = base.withKeys(new KeyConfig(MAX_AGE, Duration.ZERO, base.keys().kek()));
        List<Gatehouse> nodes = StoreContract.race(2, () -> Gatehouse.start(cfg, clock));
        a = nodes.get(0);
        b = nodes.get(1);
        new ClientAdmin(new JdbcClientRepository(pg.db), new SecretHasher(), Clock.systemUTC(), new SecureRandom())
                .add("svc", Optional.of("s3cret"), false, c -> { });
    }

    @AfterAll
    static void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
        if (pg != null) pg.close();
    }

    static Set<String> jwks(Gatehouse node) throws Exception {
        return JWKSet.parse(Http.get(node.issuer() + "/jwks").body()).getKeys().stream().map(JWK::getKeyID)
                .collect(Collectors.toSet());
    }

    /** A token from {@code node}; its kid must be published by both nodes at that moment. */
    static String kid(Gatehouse node) throws Exception {
        String kid = JWSObject.parse(Http.token(node.issuer(), "svc", "s3cret")).getHeader().getKeyID();
        assertTrue(jwks(a).contains(kid) && jwks(b).contains(kid), "a node signed with an unpublished key " + kid);
        return kid;
    }

    static void await(java.util.concurrent.Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.call()) {
            assertTrue(System.nanoTime() < deadline, "never happened: " + what);
            Thread.sleep(50);
        }
    }

    @Test
    void rotateThroughOneNodeThenBothPublishFirstAndSignWithItOnlyOncePromotedAndOnlyOnePromotes() throws Exception {
        String old = kid(a);
        assertEquals(old, kid(b));
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(new StringWriter()));
        java.nio.file.Path kek = java.nio.file.Files.createTempFile(TestDb.tempDir("kek"), "kek", "",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        java.nio.file.Files.writeString(kek, TestDb.TEST_KEK + "\n");
        assertEquals(0, cli.execute("keys", "rotate", "--alg", "RS256", "--kek-file", kek.toString(), "--db-url", pg.url()
                + "&user=" + pg.settings.user().orElse("") + "&password=" + pg.settings.password().orElse("")));
        String next = new JdbcKeyStore(pg.db).all().stream().filter(k -> k.state() == State.NEXT).findFirst()
                .map(StoredKey::kid).orElseThrow();
        await(() -> jwks(a).contains(next) && jwks(b).contains(next), "both nodes publish the next key");
        List<String> signed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            signed.add(kid(a));
            signed.add(kid(b));
            Thread.sleep(100);
        }
        assertEquals(Set.of(old), Set.copyOf(signed), "nobody signs with the next key before its time");

        // (the CLI stamps the key with the real time: move the shared clock from there)
        clock.set(Instant.now().plus(KeyPolicy.of(MAX_AGE, Duration.ZERO).publishDelay()).plusSeconds(1));
        await(() -> kid(a).equals(next) && kid(b).equals(next), "both nodes sign with the promoted key");
        List<StoredKey> rs = new JdbcKeyStore(pg.db).all().stream().filter(k -> k.alg() == SigningAlg.RS256).toList();
        assertEquals(List.of(State.RETIRED, State.ACTIVE), rs.stream().map(StoredKey::state).toList());
        assertTrue(jwks(a).contains(old) && jwks(b).contains(old), "the retired key stays published");
    }
}
