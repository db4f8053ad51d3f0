package io.gatehouse.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.model.Client;
import io.gatehouse.core.model.ClientId;
import io.gatehouse.core.model.GrantType;
import io.gatehouse.core.model.RequestObjectSigningAlg;
import io.gatehouse.core.model.Scope;
import io.gatehouse.core.model.ScopeClaim;
import io.gatehouse.core.model.SigningAlg;
import io.gatehouse.core.model.TokenFormat;
import io.gatehouse.core.model.Versioned;
import io.gatehouse.core.port.ClientRepository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients in the {@code clients} table; {@code version} changes with every update (see {@link RowVersion}).
 *
 * <p>{@link #find} (every token request reads its client) keeps the clients it found with their versions and asks
 * the database only for the current version, one indexed column: the whole row is read and mapped again only when
 * the version changed. Every use is checked against the stored version, so a change made anywhere (the admin API,
 * the CLI in another process, another node on PostgreSQL) counts from the next request on, and a removed client is
 * unknown at once. Any statement that changes a row must therefore change its version, as those below do (a hand
 * edit of the table: set {@code version = version + 1} too). Only clients that exist are kept, at most
 * {@link #CACHE_MAX} (then it starts again empty): unknown ids cost nothing to remember.
 */
public final class JdbcClientRepository implements ClientRepository {
    static final int CACHE_MAX = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "client_id, secret_hash, grant_types, scope, token_format, access_token_ttl, "
            + "claims, signing_alg, scope_claim, audience, redirect_uris, post_logout_redirect_uris, require_pkce, "
            + "refresh_tokens, first_party, id_token_ttl, refresh_token_ttl, created_at, jwt_header_x5t, resource_server, demo, "
            + "jwks, request_object_signing_alg";
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() { };
    /** The index of the demo mark in {@link #values}: an update leaves it alone. */
    private static final int DEMO = 20;

    private final Jdbc jdbc;
    private final ConcurrentHashMap<ClientId, Versioned<Client>> found = new ConcurrentHashMap<>();

    public JdbcClientRepository(Database db) {
        this.jdbc = new Jdbc(db);
    }

    @Override
    public Optional<Client> find(ClientId id) {
        Versioned<Client> known = found.get(id);
        if (known != null) {
            Optional<Long> version = jdbc.one("select version from clients where client_id = ?", rs -> rs.getLong(1),
                    id.value());
            if (version.isEmpty()) {  // removed: no second read
                found.remove(id, known);
                return Optional.empty();
            }
            if (version.get() == known.version()) return Optional.of(known.value());
        }
        Optional<Versioned<Client>> row = findVersioned(id);
        if (row.isEmpty()) {
            found.remove(id);
            return Optional.empty();
        }
        if (found.size() >= CACHE_MAX) found.clear();
        found.put(id, row.get());
        return Optional.of(row.get().value());
    }

    /** How many clients {@link #find} keeps now (tests). */
    int remembered() {
        return found.size();
    }

    @Override
    public Optional<Versioned<Client>> findVersioned(ClientId id) {
        return jdbc.one("select " + COLUMNS + ", version from clients where client_id = ?",
                rs -> new Versioned<>(map(rs), rs.getLong(24)), id.value());
    }

    @Override
    public List<Client> list() {
        return jdbc.query("select " + COLUMNS + " from clients order by client_id", JdbcClientRepository::map);
    }

    @Override
    public List<Client> listAfter(Optional<ClientId> after, int limit) {
        return jdbc.query("select " + COLUMNS + " from clients where client_id > ? order by client_id limit ?",
                JdbcClientRepository::map, after.map(ClientId::value).orElse(""), limit);
    }

    @Override
    public boolean insert(Client c) {
        Object[] v = java.util.Arrays.copyOf(values(c), 24);
        v[23] = RowVersion.initial();
        return 1 == jdbc.update("insert into clients (" + COLUMNS + ", version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing", v);
    }

    @Override
    public boolean update(Client c) {
        return update(c, "", new Object[0]);
    }

    @Override
    public boolean updateIfVersion(Client c, long version) {
        return update(c, " and version = ?", new Object[]{version});
    }

    /** Every column but the id and the demo mark, which only an insert sets; the version goes up by one. */
    private boolean update(Client c, String condition, Object[] conditionArgs) {
        Object[] v = values(c);
        Object[] args = new Object[v.length - 1 + conditionArgs.length];
        System.arraycopy(v, 1, args, 0, DEMO - 1);
        System.arraycopy(v, DEMO + 1, args, DEMO - 1, v.length - DEMO - 1);
        args[v.length - 2] = c.id().value();
        System.arraycopy(conditionArgs, 0, args, v.length - 1, conditionArgs.length);
        return jdbc.update("update clients set secret_hash = ?, grant_types = ?, scope = ?, token_format = ?, "
                + "access_token_ttl = ?, claims = ?, signing_alg = ?, scope_claim = ?, audience = ?, redirect_uris = ?, "
                + "post_logout_redirect_uris = ?, require_pkce = ?, refresh_tokens = ?, first_party = ?, id_token_ttl = ?, "
                + "refresh_token_ttl = ?, created_at = ?, jwt_header_x5t = ?, resource_server = ?, jwks = ?, "
                + "request_object_signing_alg = ?, version = version + 1 where client_id = ?" + condition, args) == 1;
    }

    @Override
    public boolean delete(ClientId id) {
        return jdbc.update("delete from clients where client_id = ?", id.value()) == 1;
    }

    @Override
    public boolean deleteIfVersion(ClientId id, long version) {
        return jdbc.update("delete from clients where client_id = ? and version = ?", id.value(), version) == 1;
    }

    private static Object[] values(Client c) {
        return new Object[]{c.id().value(), c.secretHash().orElse(null),
                String.join(" ", c.grantTypes().stream().map(GrantType::wireName).sorted().toList()),
                c.scope().asString(), c.tokenFormat().name(), c.accessTokenTtl().toSeconds(), json(c.claims()),
                c.signingAlg().name(), c.scopeClaim().name(), c.audience().orElse(null), json(c.redirectUris()),
                json(c.postLogoutRedirectUris()), c.requirePkce(), c.refreshTokens(), c.firstParty(),
                c.idTokenTtl().toSeconds(), c.refreshTokenTtl().toSeconds(), c.createdAt().getEpochSecond(), c.jwtHeaderX5t(),
                c.resourceServer(), c.demo(), c.jwks().orElse(null),
                c.requestObjectSigningAlg().map(RequestObjectSigningAlg::wireName).orElse(null)};
    }

    /** A row of {@link #COLUMNS}, read by position (by name, the driver searches for each column). */
    private static Client map(ResultSet rs) throws SQLException {
        Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
        for (String g : rs.getString(3).split(" ")) {
            GrantType.fromWire(g).ifPresent(grants::add);
        }
        return new Client(new ClientId(rs.getString(1)), Optional.ofNullable(rs.getString(2)),
                grants, Scope.parse(rs.getString(4)), TokenFormat.valueOf(rs.getString(5)),
                Duration.ofSeconds(rs.getLong(6)), parse(rs.getString(7), STRING_MAP, Map.of()),
                SigningAlg.valueOf(rs.getString(8)), ScopeClaim.valueOf(rs.getString(9)),
                Optional.ofNullable(rs.getString(10)), parse(rs.getString(11), STRING_LIST, List.of()),
                parse(rs.getString(12), STRING_LIST, List.of()),
                rs.getBoolean(13), rs.getBoolean(14), rs.getBoolean(15),
                Duration.ofSeconds(rs.getLong(16)), Duration.ofSeconds(rs.getLong(17)),
                Instant.ofEpochSecond(rs.getLong(18)), rs.getBoolean(19),
                rs.getBoolean(20), rs.getBoolean(21), Optional.ofNullable(rs.getString(22)),
                requestObjectSigningAlg(rs.getString(23)));
    }

    private static Optional<RequestObjectSigningAlg> requestObjectSigningAlg(String name) throws SQLException {
        if (name == null) return Optional.empty();
        return Optional.of(RequestObjectSigningAlg.fromWire(name)
                .orElseThrow(() -> new SQLException("unknown request_object_signing_alg in the clients table")));
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON column; the empty object or array (most rows) without a parse. */
    private static <T> T parse(String s, TypeReference<T> type, T empty) throws SQLException {
        if (s.equals("{}") || s.equals("[]")) return empty;
        try {
            return JSON.readValue(s, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("corrupt JSON column", e);
        }
    }
}
