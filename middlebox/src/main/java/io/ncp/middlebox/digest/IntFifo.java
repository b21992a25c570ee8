package io.ncp.middlebox.digest;

/** A growable FIFO of ints (block CRCs waiting for their counterpart). Not thread-safe. */
final class IntFifo {

    private int[] items = new int[16];
    private int head;
    private int size;

    void add(int v) {
        if (size == items.length) {
            int[] bigger = new int[items.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = items[(head + i) % items.length];
            }
            items = bigger;
            head = 0;
        }
        items[(head + size) % items.length] = v;
        size++;
    }

    int poll() {
        int v = items[head];
        head = (head + 1) % items.length;
        size--;
        return v;
    }

    boolean isEmpty() {
        return size == 0;
    }
}
