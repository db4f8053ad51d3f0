package io.gatehouse.config;

import java.time.Duration;
import java.util.Optional;

/**
 * How the HTTP listeners hold up under slow or abusive clients, and where the management listener is.
 *
 * @param headerTimeout         a request's line and headers must arrive within this, counted from its first byte
 *                              (on a new connection, from the connect); else the connection is closed
 * @param bodyTimeout           a request's body must arrive within this, counted from the end of its headers; else
 *                              408 and the connection is closed
 * @param idleTimeout           a kept-alive connection with no request in progress is closed after this
 * @param maxConnections        open connections per listener; further ones wait in the kernel's accept queue
 * @param maxConcurrentRequests requests being processed (body complete, handler running) at once; further ones wait up
 *                              to {@link #QUEUE_WAIT} for a slot, then get 503
 * @param maxBufferedRequestBytes request bytes held in memory at once, across connections, beyond the first
 *                              {@link #SMALL_REQUEST_BYTES} of each request head and for bodies over that size; a
 *                              request that needs more waits for room (within its header or body timeout) and its
 *                              bytes stay in the kernel's socket buffers meanwhile
 * @param managementEnabled     whether the management listener (health, metrics) runs at all
 * @param managementHost        the management listener's address
 * @param managementPort        its port; 0 picks a free one (logged)
 * @param tls                   the public listener's certificate and key (https), or empty for plain http; the
 *                              management listener is always plain http
 */
public record HttpConfig(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections,
                         int maxConcurrentRequests, int maxBufferedRequestBytes, boolean managementEnabled,
                         String managementHost, int managementPort, Optional<TlsFiles> tls) {
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 200;
    public static final int DEFAULT_MAX_BUFFERED_REQUEST_BYTES = 2 * 1024 * 1024;
    public static final String DEFAULT_MANAGEMENT_HOST = "127.0.0.1";
    public static final int DEFAULT_MANAGEMENT_PORT = 9001;
    /**
     * Request heads and bodies up to this size never wait for buffer room: token, sign-in and JSON dialect requests
     * are far smaller.
     */
    public static final int SMALL_REQUEST_BYTES = 8 * 1024;
    /** How long a request waits for a processing slot when {@link #maxConcurrentRequests} are busy. */
    public static final Duration QUEUE_WAIT = Duration.ofSeconds(2);

    public HttpConfig {
        positive("header-timeout-seconds", headerTimeout);
        positive("body-timeout-seconds", bodyTimeout);
        positive("idle-timeout-seconds", idleTimeout);
        if (maxConnections < 1) throw new IllegalArgumentException("max-connections must be at least 1");
        if (maxConcurrentRequests < 1) throw new IllegalArgumentException("max-concurrent-requests must be at least 1");
        if (maxBufferedRequestBytes < SMALL_REQUEST_BYTES) {
            throw new IllegalArgumentException("max-buffered-request-bytes must be at least " + SMALL_REQUEST_BYTES);
        }
        if (managementHost == null || managementHost.isBlank()) throw new IllegalArgumentException("management-host must not be empty");
        if (managementPort < 0 || managementPort > 65535) throw new IllegalArgumentException("management-port must be 0 to 65535");
        tls = tls == null ? Optional.empty() : tls;
    }

    private static void positive(String name, Duration d) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be at least 1");
    }

    public static HttpConfig defaults() {
        return new HttpConfig(DEFAULT_HEADER_TIMEOUT, DEFAULT_BODY_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_MAX_BUFFERED_REQUEST_BYTES, true, DEFAULT_MANAGEMENT_HOST,
                DEFAULT_MANAGEMENT_PORT, Optional.empty());
    }

    /** Defaults with the management listener on a free port (tests, several servers on one machine). */
    public static HttpConfig forTest() {
        return defaults().withManagement(true, DEFAULT_MANAGEMENT_HOST, 0);
    }

    public HttpConfig withManagement(boolean enabled, String host, int port) {
        return new HttpConfig(headerTimeout, bodyTimeout, idleTimeout, maxConnections, maxConcurrentRequests,
                maxBufferedRequestBytes, enabled, host, port, tls);
    }

    public HttpConfig withTimeouts(Duration header, Duration body, Duration idle) {
        return new HttpConfig(header, body, idle, maxConnections, maxConcurrentRequests, maxBufferedRequestBytes,
                managementEnabled, managementHost, managementPort, tls);
    }

    public HttpConfig withLimits(int connections, int concurrentRequests, int bufferedBodyBytes) {
        return new HttpConfig(headerTimeout, bodyTimeout, idleTimeout, connections, concurrentRequests, bufferedBodyBytes,
                managementEnabled, managementHost, managementPort, tls);
    }

    /** The same with https on the public listener from these files (empty: plain http). */
    public HttpConfig withTls(Optional<TlsFiles> files) {
        return new HttpConfig(headerTimeout, bodyTimeout, idleTimeout, maxConnections, maxConcurrentRequests,
                maxBufferedRequestBytes, managementEnabled, managementHost, managementPort, files);
    }
}
