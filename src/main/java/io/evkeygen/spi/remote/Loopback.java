package io.evkeygen.spi.remote;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a host names this machine, decided from its spelling alone: a name is never resolved, so
 * DNS (or a hosts file) cannot turn a remote host into a local one. Plaintext is only for these,
 * unless the user allows it: the enVector server client and the remote key stores ({@link StoreAccess})
 * share this one rule.
 */
public final class Loopback {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private Loopback() {}

    /**
     * True for {@code localhost}, an IPv4 address in 127.0.0.0/8 (dotted quad) and {@code ::1} in
     * any IPv6 spelling, with or without brackets; false for any other name or address.
     */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        Matcher v4 = IPV4.matcher(host);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return false;
                }
            }
            return Integer.parseInt(v4.group(1)) == 127;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.indexOf(':') < 0 || !IPV6.matcher(h).matches()) {
            return false;
        }
        try {
            // bracketed, an IPv6 literal is parsed, never looked up
            return InetAddress.getByName("[" + h + "]").isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
