package io.ncp.middlebox.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo server's data: strings, lists, hashes and sorted sets, and the commands on them. Replies are RESP text.
 * Single-threaded (the server's one event loop).
 */
final class KvStore {

    private final TreeMap<String, Object> data = new TreeMap<>();

    /** Executes one command and returns its RESP reply. */
    String execute(List<String> cmd) {
        String op = cmd.get(0).toUpperCase(java.util.Locale.ROOT);
        try {
            switch (op) {
                case "PING":
                    return "+PONG\r\n";
                case "SET":
                    arity(cmd, 3);
                    data.put(cmd.get(1), cmd.get(2));
                    return "+OK\r\n";
                case "GET": {
                    arity(cmd, 2);
                    Object v = data.get(cmd.get(1));
                    return v == null ? "$-1\r\n" : bulk((String) typed(v, String.class));
                }
                case "INCR": {
                    arity(cmd, 2);
                    Object v = data.get(cmd.get(1));
                    long n = v == null ? 1 : Long.parseLong((String) typed(v, String.class)) + 1;
                    data.put(cmd.get(1), Long.toString(n));
                    return ":" + n + "\r\n";
                }
                case "DEL": {
                    long n = 0;
                    for (String k : cmd.subList(1, cmd.size())) {
                        n += data.remove(k) != null ? 1 : 0;
                    }
                    return ":" + n + "\r\n";
                }
                case "LPUSH":
                    return lpush(cmd);
                case "HSET":
                    return hset(cmd);
                case "ZADD":
                    return zadd(cmd);
                case "DBSIZE":
                    return ":" + data.size() + "\r\n";
                case "FLUSHALL":
                    data.clear();
                    return "+OK\r\n";
                case "DIGEST":
                    return bulk(digest());
                case "CONFIG":
                case "COMMAND":
                    return "*0\r\n";
                default:
                    return "-ERR unknown command '" + op + "'\r\n";
            }
        } catch (IllegalArgumentException e) {
            return "-ERR " + e.getMessage() + "\r\n";
        }
    }

    @SuppressWarnings("unchecked")
    private String lpush(List<String> cmd) {
        if (cmd.size() < 3) {
            throw new IllegalArgumentException("wrong number of arguments");
        }
        Deque<String> list = (Deque<String>) typed(data.computeIfAbsent(cmd.get(1), k -> new ArrayDeque<String>()),
            Deque.class);
        for (String v : cmd.subList(2, cmd.size())) {
            list.addFirst(v);
        }
        return ":" + list.size() + "\r\n";
    }

    @SuppressWarnings("unchecked")
    private String hset(List<String> cmd) {
        if (cmd.size() < 4 || cmd.size() % 2 != 0) {
            throw new IllegalArgumentException("wrong number of arguments");
        }
        TreeMap<String, String> h = (TreeMap<String, String>) typed(
            data.computeIfAbsent(cmd.get(1), k -> new TreeMap<String, String>()), TreeMap.class);
        long added = 0;
        for (int i = 2; i < cmd.size(); i += 2) {
            added += h.put(cmd.get(i), cmd.get(i + 1)) == null ? 1 : 0;
        }
        return ":" + added + "\r\n";
    }

    @SuppressWarnings("unchecked")
    private String zadd(List<String> cmd) {
        if (cmd.size() < 4 || cmd.size() % 2 != 0) {
            throw new IllegalArgumentException("wrong number of arguments");
        }
        Map<String, Double> z = (Map<String, Double>) typed(
            data.computeIfAbsent(cmd.get(1), k -> new ZSet()), ZSet.class);
        long added = 0;
        for (int i = 2; i < cmd.size(); i += 2) {
            added += z.put(cmd.get(i + 1), Double.parseDouble(cmd.get(i))) == null ? 1 : 0;
        }
        return ":" + added + "\r\n";
    }

    /** SHA-256 over every key, its type and its content in a canonical order: equal digests = equal data. */
    String digest() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, Object> e : data.entrySet()) {
                md.update((e.getKey() + "\0" + e.getValue().getClass().getSimpleName() + "\0" + e.getValue() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            }
            return data.isEmpty() ? "0".repeat(40) : HexFormat.of().formatHex(md.digest()).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void arity(List<String> cmd, int n) {
        if (cmd.size() != n) {
            throw new IllegalArgumentException("wrong number of arguments for '" + cmd.get(0) + "'");
        }
    }

    private static Object typed(Object v, Class<?> type) {
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("WRONGTYPE Operation against a key holding the wrong kind of value");
        }
        return v;
    }

    private static String bulk(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return "$" + b.length + "\r\n" + s + "\r\n";
    }

    /** A sorted set: member → score, printed in member order. */
    private static final class ZSet extends TreeMap<String, Double> {
        private static final long serialVersionUID = 1L;
    }
}
