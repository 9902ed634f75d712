package org.redtest.spark;

import org.redtest.RedTestException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a Spark master URL before a context is made from it, so that a typo or an unreachable master is one
 * line naming the master and the cause, within seconds: Spark itself takes a minute of retries for an
 * unreachable standalone master and then fails later with "Cannot call methods on a stopped SparkContext".
 * Only the standalone master ({@code spark://}) is probed; yarn, k8s:// and mesos:// masters are left to Spark.
 */
public final class SparkMaster {
    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|\\d+)(,(\\d+))?])?");
    private static final Pattern STANDALONE = Pattern.compile("spark://(.+)");
    private static final Pattern OTHERS = Pattern.compile("yarn|local-cluster\\[.+]|(k8s|mesos)://.+");
    private static final Pattern HOST_PORT = Pattern.compile("\\[?([^\\]]+?)]?:(\\d{1,5})");

    private SparkMaster() {
    }

    /** Throws a one-line {@link RedTestException} when {@code master} is malformed or its standalone master cannot be reached. */
    public static void check(String master, Duration timeout) {
        Matcher local = LOCAL.matcher(master);
        if (local.matches()) {
            if ("0".equals(local.group(2))) {
                throw new RedTestException("Spark master '" + master + "' asks for 0 threads; give local[N] with N >= 1, or local[*]");
            }
            return;
        }
        if (OTHERS.matcher(master).matches()) {
            return;
        }
        Matcher standalone = STANDALONE.matcher(master);
        if (!standalone.matches()) {
            throw new RedTestException("Spark master '" + master + "' is not a master URL: give local[N], spark://HOST:PORT, "
                    + "yarn or k8s://HOST:PORT");
        }
        for (String hostPort : standalone.group(1).split(",")) {
            Matcher hp = HOST_PORT.matcher(hostPort);
            if (!hp.matches()) {
                throw new RedTestException("Spark master '" + master + "': '" + hostPort + "' is not HOST:PORT");
            }
            probe(master, hp.group(1), Integer.parseInt(hp.group(2)), timeout);
        }
    }

    private static void probe(String master, String host, int port, Duration timeout) {
        String cause;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return;
        } catch (UnknownHostException e) {
            cause = "unknown host " + host;
        } catch (SocketTimeoutException e) {
            cause = "no answer from " + host + ":" + port + " within " + timeout.toSeconds() + " s (master_timeout)";
        } catch (ConnectException e) {
            cause = "connection to " + host + ":" + port + " refused (is the master running?)";
        } catch (IOException e) {
            cause = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (new InetSocketAddress(host, port).isUnresolved() && !cause.startsWith("unknown host")) {
            cause = "unknown host " + host;
        }
        throw new RedTestException("cannot reach Spark master " + master + ": " + cause);
    }
}
