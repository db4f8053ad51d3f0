/*
 * Load driver for the browser-style flows that wrk cannot script: the OIDC authorization-code sign-in and the
 * refresh_token grant with rotation. Single file, JDK only; run with the source launcher:
 *
 *   $JAVA_HOME/bin/java bench/FlowLoad.java mode=login|refresh base=http://127.0.0.1:9100 concurrency=8 \
 *       warmup=5 duration=15 client=bench-web secret=bench-secret user=bench-user password=... \
 *       redirect_uri=http://127.0.0.1/cb [scope=openid] [cpu_stat=/proc/PID/stat]
 *
 * mode=login   one operation = GET /oauth2/authorize (PKCE S256, fresh cookie jar) -> sign-in page, parse the
 *              hidden csrf and q -> POST /login (303 to the redirect URI with the code; a 303 back to
 *              /oauth2/authorize is followed to its 302 with the code) -> POST /oauth2/token (authorization_code,
 *              client_secret_basic, code_verifier). The client must be first-party (no consent page). Latency is the
 *              whole sequence (3 HTTP requests; 4 with the extra hop).
 * mode=refresh each worker signs in once (not measured), then loops grant_type=refresh_token, always sending the
 *              newest refresh token (they rotate; reusing one would revoke the family). A failed refresh is
 *              counted in non2xx and the worker signs in again (not measured).
 *
 * Workers are virtual threads sharing one java.net.http client (HTTP/1.1, keep-alive, no redirect following,
 * cookies handled by hand per operation). Phases: setup, warm-up (not counted), then the measured window: only
 * operations that complete inside it are counted. When cpu_stat is given, utime+stime of that process are read
 * at the edges of the measured window and printed as cpu_ticks, so setup sign-ins, warm-up and the start of this
 * JVM are not charged to the server; hash_ticks is the part of it spent by the server's Argon2id threads (argon2-N),
 * i.e. the password checks as they ran inside the server.
 * As with wrk, an operation counts when it completes inside the window (it may have started in the warm-up). Output: one line in wrk.lua's format (plus http_requests, cpu_ticks):
 *   RESULT rps=... p50_ms=... p99_ms=... requests=... non2xx=... sock_err=... http_requests=... cpu_ticks=... hash_ticks=...
 */
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class FlowLoad {
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");
    static final Pattern Q = Pattern.compile("name=\"q\" value=\"([^\"]*)\"");
    static final Pattern CODE = Pattern.compile("[?&]code=([^&]+)");
    static final Pattern REFRESH = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");
    static final SecureRandom RANDOM = new SecureRandom();

    /** A request that did not get the expected status (counted as non2xx). */
    static final class Unexpected extends Exception {
        Unexpected(String m) { super(m, null, false, false); }
    }

    final String base, client, user, password, redirectUri, scope, basic;
    final HttpClient http;
    final AtomicLong non2xx = new AtomicLong(), sockErr = new AtomicLong(), httpRequests = new AtomicLong();
    volatile long windowStart = Long.MAX_VALUE, windowEnd = Long.MAX_VALUE;
    volatile boolean stop;
    volatile String firstError;

    FlowLoad(Map<String, String> a) {
        base = a.getOrDefault("base", "http://127.0.0.1:9100");
        client = need(a, "client");
        user = need(a, "user");
        password = need(a, "password");
        redirectUri = need(a, "redirect_uri");
        scope = a.getOrDefault("scope", "openid");
        basic = "Basic " + Base64.getEncoder().encodeToString(
                (form(client) + ":" + form(need(a, "secret"))).getBytes(StandardCharsets.UTF_8));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    static String need(Map<String, String> a, String k) {
        String v = a.get(k);
        if (v == null) throw new IllegalArgumentException("missing argument " + k + "=...");
        return v;
    }

    static String form(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    static String b64url(byte[] b) { return Base64.getUrlEncoder().withoutPadding().encodeToString(b); }

    static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    HttpResponse<String> send(HttpRequest r, int expect) throws IOException, InterruptedException, Unexpected {
        httpRequests.incrementAndGet();
        HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != expect) {
            throw new Unexpected(r.method() + " " + r.uri().getPath() + " answered " + res.statusCode()
                    + " (expected " + expect + ")");
        }
        return res;
    }

    static String session(HttpResponse<?> res) throws Unexpected {
        for (String c : res.headers().allValues("set-cookie")) {
            if (c.startsWith("gh_session=")) {
                int semi = c.indexOf(';');
                return semi < 0 ? c : c.substring(0, semi);
            }
        }
        throw new Unexpected("no gh_session cookie");
    }

    static String location(HttpResponse<?> res) throws Unexpected {
        return res.headers().firstValue("location").orElseThrow(() -> new Unexpected("no Location"));
    }

    HttpRequest.Builder req(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30));
    }

    HttpRequest tokenRequest(String body) {
        return req("/oauth2/token").header("Authorization", basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** One full sign-in with a fresh cookie jar; returns the refresh token (or null when none was issued). */
    String login() throws IOException, InterruptedException, Unexpected {
        byte[] v = new byte[32];
        RANDOM.nextBytes(v);
        String verifier = b64url(v);
        String challenge;
        try {
            challenge = b64url(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String authorize = "/oauth2/authorize?response_type=code&client_id=" + form(client) + "&redirect_uri="
                + form(redirectUri) + "&scope=" + form(scope) + "&state=s" + RANDOM.nextInt(1 << 30)
                + "&code_challenge=" + challenge + "&code_challenge_method=S256";
        HttpResponse<String> page = send(req(authorize).GET().build(), 200);
        String cookie = session(page);
        Matcher csrf = CSRF.matcher(page.body()), q = Q.matcher(page.body());
        if (!csrf.find() || !q.find()) throw new Unexpected("sign-in page without csrf/q fields");
        String loginBody = "csrf=" + form(unescape(csrf.group(1))) + "&q=" + form(unescape(q.group(1)))
                + "&username=" + form(user) + "&password=" + form(password);
        HttpResponse<String> signedIn = send(req("/login").header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(loginBody)).build(), 303);
        cookie = session(signedIn);
        String target = location(signedIn);
        if (!target.startsWith(redirectUri)) {  // back to the authorization endpoint first (a server that does so)
            URI next = URI.create(base).resolve(target);
            String pathAndQuery = next.getRawPath() + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery());
            target = location(send(req(pathAndQuery).header("Cookie", cookie).GET().build(), 302));
        }
        if (!target.startsWith(redirectUri)) throw new Unexpected("redirected elsewhere than the redirect URI");
        Matcher code = CODE.matcher(target);
        if (!code.find()) throw new Unexpected("no code in the redirect");
        HttpResponse<String> token = send(tokenRequest("grant_type=authorization_code&code=" + code.group(1)
                + "&redirect_uri=" + form(redirectUri) + "&code_verifier=" + verifier), 200);
        Matcher rt = REFRESH.matcher(token.body());
        return rt.find() ? rt.group(1) : null;
    }

    String refresh(String rt) throws IOException, InterruptedException, Unexpected {
        HttpResponse<String> res = send(tokenRequest("grant_type=refresh_token&refresh_token=" + form(rt)), 200);
        Matcher m = REFRESH.matcher(res.body());
        if (!m.find()) throw new Unexpected("refresh answer without a new refresh_token");
        return m.group(1);
    }

    void fail(Exception e) {
        if (e instanceof Unexpected) non2xx.incrementAndGet();
        else sockErr.incrementAndGet();
        if (firstError == null) firstError = e.toString();
    }

    /**
     * A worker's sign-in before the load (not measured): many at once from one address for one user get 429 from the
     * attempt limiter (attempts in flight count against its budget) or 503 from a full hashing queue, so it tries again.
     */
    String setupLogin() throws Exception {
        for (int i = 0; ; i++) {
            try {
                return login();
            } catch (Unexpected e) {
                boolean busy = e.getMessage().contains("answered 429") || e.getMessage().contains("answered 503");
                if (!busy || i >= 100) throw e;
                Thread.sleep(50 + RANDOM.nextInt(200));
            }
        }
    }

    /** Runs one worker until stop; latencies (ns) of operations completed inside the window go to out. */
    void worker(boolean refreshMode, CountDownLatch ready, List<Long> out) {
        String rt = null;
        if (refreshMode) {
            try {
                rt = setupLogin();
                if (rt == null) throw new Unexpected("no refresh_token: is the client registered with --refresh-tokens?");
            } catch (Exception e) {
                fail(e);
            }
        }
        ready.countDown();
        while (!stop) {
            long t0 = System.nanoTime();
            try {
                if (refreshMode) {
                    if (rt == null) { rt = setupLogin(); continue; }   // recover after a failure, not measured
                    rt = refresh(rt);
                } else {
                    login();
                }
                long t1 = System.nanoTime();
                if (t1 >= windowStart && t1 <= windowEnd) out.add(t1 - t0);
            } catch (Exception e) {
                if (e instanceof InterruptedException) return;
                long t1 = System.nanoTime();
                if (t1 >= windowStart && t1 <= windowEnd) fail(e);
                else if (firstError == null) firstError = e.toString();
                rt = null;
            }
        }
    }

    static long cpuTicks(String stat) throws IOException {
        if (stat == null) return -1;
        String s = Files.readString(Path.of(stat));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");   // fields after "pid (comm) ": state is f[0]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);          // utime (14th) + stime (15th)
    }

    /** utime+stime of the process's threads whose name starts with {@code prefix} (a thread gone meanwhile is lost). */
    static long threadTicks(String stat, String prefix) throws IOException {
        if (stat == null) return -1;
        long sum = 0;
        try (var tasks = Files.list(Path.of(stat).resolveSibling("task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String s;
                try {
                    s = Files.readString(t.resolve("stat"));
                } catch (IOException e) {
                    continue;   // the thread ended
                }
                String comm = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
                if (comm.startsWith(prefix)) sum += cpuTicks(t.resolve("stat").toString());
            }
        }
        return sum;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) throw new IllegalArgumentException("arguments are key=value, got: " + arg);
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String mode = a.getOrDefault("mode", "login");
        if (!mode.equals("login") && !mode.equals("refresh")) throw new IllegalArgumentException("mode=login|refresh");
        int conc = Integer.parseInt(a.getOrDefault("concurrency", "8"));
        double warmup = Double.parseDouble(a.getOrDefault("warmup", "5"));
        double duration = Double.parseDouble(a.getOrDefault("duration", "15"));
        String cpuStat = a.get("cpu_stat");
        FlowLoad load = new FlowLoad(a);
        try {   // sanity: one operation must succeed before any load is applied
            String rt = load.login();
            if (mode.equals("refresh")) {
                if (rt == null) throw new Unexpected("no refresh_token: is the client registered with --refresh-tokens?");
                load.refresh(rt);
            }
        } catch (Unexpected | IOException e) {
            System.err.println("FlowLoad: sanity " + mode + " failed: " + e.getMessage());
            System.exit(1);
        }

        CountDownLatch ready = new CountDownLatch(conc);
        List<List<Long>> lat = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < conc; i++) {
            List<Long> l = new ArrayList<>();
            lat.add(l);
            threads.add(Thread.ofVirtual().name("flow-" + i).start(() -> load.worker(mode.equals("refresh"), ready, l)));
        }
        ready.await();
        Thread.sleep((long) (warmup * 1000));
        long cpu0 = cpuTicks(cpuStat), hash0 = threadTicks(cpuStat, "argon2-");
        long http0 = load.httpRequests.get();
        long start = System.nanoTime();
        load.windowStart = start;
        load.windowEnd = start + (long) (duration * 1e9);
        Thread.sleep((long) (duration * 1000));
        long cpu1 = cpuTicks(cpuStat), hash1 = threadTicks(cpuStat, "argon2-");
        long http1 = load.httpRequests.get();
        long end = System.nanoTime();
        load.stop = true;
        for (Thread t : threads) t.join(Duration.ofSeconds(35));

        long[] all = lat.stream().flatMap(List::stream).mapToLong(Long::longValue).sorted().toArray();
        double secs = (end - start) / 1e9;
        System.out.printf(java.util.Locale.ROOT,
                "RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d sock_err=%d http_requests=%d cpu_ticks=%d hash_ticks=%d%n",
                all.length / secs, pct(all, 50), pct(all, 99), all.length, load.non2xx.get(), load.sockErr.get(),
                http1 - http0, cpuStat == null ? -1 : cpu1 - cpu0, cpuStat == null ? -1 : hash1 - hash0);
        if (load.firstError != null) System.err.println("FlowLoad: first error: " + load.firstError);
        System.exit(0);
    }

    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
