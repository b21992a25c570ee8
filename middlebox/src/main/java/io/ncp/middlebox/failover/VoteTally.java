package io.ncp.middlebox.failover;

import java.util.ArrayList;
import java.util.List;

/**
 * The majority rule over one vote: the voters are this middlebox (whose own probes already say the primary is down)
 * and its peers. The primary is down only when more than half of all voters say so; a peer that does not answer, or
 * answers something that is not a vote, counts as NOT down (a middlebox cut off from everything must not fail over).
 * The vote is decided as soon as the outcome cannot change: a majority says down, or even every peer still pending
 * could no longer make one.
 *
 * <p>Not thread-safe: one vote's answers are all recorded on the prober's loop.
 */
final class VoteTally {

    /** A peer's answer. */
    enum Vote {
        /** It cannot reach the primary either. */
        DOWN,
        /** It reaches the primary. */
        UP,
        /** No vote came (unreachable, timed out, refused the request, or answered something else). */
        NO_ANSWER
    }

    private final List<String> peers;
    private final Vote[] votes;
    private final String[] details;
    private int pending;
    private int down = 1; // this middlebox
    private boolean delivered;

    /** @param peers the peers' names (their admin URLs), in the order of their indexes */
    VoteTally(List<String> peers) {
        this.peers = List.copyOf(peers);
        this.votes = new Vote[peers.size()];
        this.details = new String[peers.size()];
        this.pending = peers.size();
    }

    /** Every voter, this middlebox included. */
    int voters() {
        return peers.size() + 1;
    }

    /** Records peer {@code i}'s answer; a second answer of the same peer is ignored. */
    void record(int i, Vote v, String detail) {
        if (votes[i] != null) {
            return;
        }
        votes[i] = v;
        details[i] = detail;
        pending--;
        if (v == Vote.DOWN) {
            down++;
        }
    }

    /** Every peer that has not answered yet gets NO_ANSWER with {@code why} (the vote's time is up). */
    void giveUp(String why) {
        for (int i = 0; i < votes.length; i++) {
            record(i, Vote.NO_ANSWER, why);
        }
    }

    /** Whether the outcome is known: a majority says down, or no majority can say it any more. */
    boolean decided() {
        return majority(down) || !majority(down + pending);
    }

    private boolean majority(int n) {
        return 2 * n > voters();
    }

    /**
     * The verdict, once: null while undecided or when it was already taken. Its detail names every voter's answer,
     * e.g. {@code 2 of 3 voters say down (down needs 2): this middlebox down; http://10.0.0.4:9090/ down (3 probes
     * missed (last: connection refused)); http://10.0.0.5:9090/ no answer yet}.
     */
    Voters.Verdict take() {
        if (delivered || !decided()) {
            return null;
        }
        delivered = true;
        List<String> parts = new ArrayList<>();
        parts.add("this middlebox down");
        for (int i = 0; i < votes.length; i++) {
            String what = votes[i] == null ? "no answer yet" : switch (votes[i]) {
                case DOWN -> "down";
                case UP -> "up";
                case NO_ANSWER -> "no answer, counted as not down";
            };
            parts.add(peers.get(i) + " " + what + (details[i] == null || details[i].isEmpty() ? "" : " ("
                + details[i] + ")"));
        }
        int needed = voters() / 2 + 1;
        return new Voters.Verdict(majority(down), down + " of " + voters() + " voters say down (down needs " + needed
            + "): " + String.join("; ", parts));
    }
}
