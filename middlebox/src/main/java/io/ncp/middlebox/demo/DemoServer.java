package io.ncp.middlebox.demo;

/** A server the demo replicates: built-in {@link KvServer} or a real redis-server ({@link RedisProcess}). */
public interface DemoServer extends AutoCloseable {

    /** {@code 127.0.0.1:port}. */
    String hostPort();

    /** A digest of the whole dataset (equal digests = equal data). */
    String digest();

    /** What kind of server this is, for the output. */
    String name();

    @Override
    void close();
}
