import io.gatehouse.core.SecretHasher;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * The CPU of one Argon2id check as the server does it: {@link SecretHasher} with its default (configured) parameters,
 * run in a JVM with the server's flags (bench.sh starts it with the `serve` JVM options and the built jar on the class
 * path). Warms up (JIT), then times `checks` verifications of a right password against a stored hash, one at a time,
 * and prints the process CPU (user + system, all threads: the hashing worker, GC, JIT) per check and the part of it
 * spent in garbage collection:
 *
 * <pre>RESULT argon2_cpu_ms=31.2 argon2_gc_ms=0.4 argon2_wall_ms=31.5 checks=20</pre>
 *
 * Usage: java SERVE_OPTS -cp target/gatehouse.jar bench/Argon2Cost.java [warmup=20] [checks=20]
 */
public class Argon2Cost {
    public static void main(String[] args) {
        int warmup = 20, checks = 20;
        for (String a : args) {
            if (a.startsWith("warmup=")) warmup = Integer.parseInt(a.substring(7));
            else if (a.startsWith("checks=")) checks = Integer.parseInt(a.substring(7));
            else throw new IllegalArgumentException("unknown argument " + a);
        }
        SecretHasher hasher = new SecretHasher();
        String hash = hasher.hash("bench-password-1");
        for (int i = 0; i < warmup; i++) check(hasher, hash);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime(), gc0 = gcMillis(), t0 = System.nanoTime();
        for (int i = 0; i < checks; i++) check(hasher, hash);
        long cpu1 = os.getProcessCpuTime(), gc1 = gcMillis(), t1 = System.nanoTime();
        System.out.printf(java.util.Locale.ROOT, "RESULT argon2_cpu_ms=%.1f argon2_gc_ms=%.1f argon2_wall_ms=%.1f checks=%d%n",
                (cpu1 - cpu0) / 1e6 / checks, (double) (gc1 - gc0) / checks, (t1 - t0) / 1e6 / checks, checks);
    }

    private static void check(SecretHasher hasher, String hash) {
        if (!hasher.verify("bench-password-1", hash)) throw new IllegalStateException("the check failed");
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) sum += Math.max(0, gc.getCollectionTime());
        return sum;
    }
}
