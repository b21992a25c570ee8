package io.ncp.middlebox.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.failover.VoteTally.Vote;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The majority rule: this middlebox says down; a peer that does not answer counts as not down. */
class VoteTallyTest {

    private static VoteTally tally(int peers) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            names.add("http://peer" + i + "/");
        }
        return new VoteTally(names);
    }

    @Test
    void aloneTheMiddleboxDecidesByItself() {
        VoteTally t = tally(0);
        assertThat(t.voters()).isEqualTo(1);
        Voters.Verdict v = t.take();
        assertThat(v).isNotNull();
        assertThat(v.down()).isTrue();
        assertThat(v.detail()).startsWith("1 of 1 voters say down");
        assertThat(t.take()).as("taken once").isNull();
    }

    @Test
    void withOnePeerBothMustSayDown() {
        VoteTally down = tally(1);
        assertThat(down.take()).as("undecided before the peer answered").isNull();
        down.record(0, Vote.DOWN, "3 probes missed");
        assertThat(down.take().down()).isTrue();

        VoteTally up = tally(1);
        up.record(0, Vote.UP, "answered");
        assertThat(up.take().down()).isFalse();

        VoteTally silent = tally(1);
        silent.giveUp("no answer within 2200 ms");
        Voters.Verdict v = silent.take();
        assertThat(v.down()).as("a peer that does not answer is not a vote for down").isFalse();
        assertThat(v.detail()).contains("http://peer0/ no answer, counted as not down (no answer within 2200 ms)");
    }

    @Test
    void threeVotersOneCutOffIsOutvotedTwoAreAMajority() {
        VoteTally one = tally(2);
        one.record(0, Vote.UP, "answered");
        assertThat(one.take()).as("1 down, 1 up, 1 pending: the last peer decides").isNull();
        one.record(1, Vote.UP, "answered");
        Voters.Verdict kept = one.take();
        assertThat(kept.down()).isFalse();
        assertThat(kept.detail()).isEqualTo("1 of 3 voters say down (down needs 2): this middlebox down; "
            + "http://peer0/ up (answered); http://peer1/ up (answered)");

        VoteTally two = tally(2);
        two.record(1, Vote.DOWN, "3 probes missed (last: connection refused)");
        Voters.Verdict down = two.take();
        assertThat(down).as("a majority without waiting for the last peer").isNotNull();
        assertThat(down.down()).isTrue();
        assertThat(down.detail()).isEqualTo("2 of 3 voters say down (down needs 2): this middlebox down; "
            + "http://peer0/ no answer yet; http://peer1/ down (3 probes missed (last: connection refused))");
        two.record(0, Vote.UP, "late");
        assertThat(two.take()).isNull();

        VoteTally unanswered = tally(2);
        unanswered.record(0, Vote.NO_ANSWER, "HTTP 401: wrong token");
        assertThat(unanswered.take()).isNull();
        unanswered.record(1, Vote.NO_ANSWER, "ConnectException");
        assertThat(unanswered.take().down()).as("a decider cut off from every peer does not fail over").isFalse();
    }

    @Test
    void largerGroupsNeedMoreThanHalf() {
        VoteTally four = tally(3); // 4 voters: down needs 3
        four.record(0, Vote.DOWN, "");
        assertThat(four.take()).isNull();
        four.record(1, Vote.UP, "");
        assertThat(four.take()).isNull();
        four.record(2, Vote.NO_ANSWER, "");
        Voters.Verdict tie = four.take();
        assertThat(tie.down()).as("2 of 4 is no majority").isFalse();
        assertThat(tie.detail()).startsWith("2 of 4 voters say down (down needs 3)");

        VoteTally five = tally(4); // 5 voters: down needs 3
        five.record(3, Vote.UP, "");
        five.record(2, Vote.UP, "");
        assertThat(five.take()).isNull();
        five.record(1, Vote.UP, "");
        assertThat(five.take().down()).as("3 up of 5: down can no longer win").isFalse();

        VoteTally fiveDown = tally(4);
        fiveDown.record(0, Vote.DOWN, "");
        fiveDown.record(0, Vote.UP, "a second answer of the same peer is ignored");
        assertThat(fiveDown.take()).isNull();
        fiveDown.record(3, Vote.DOWN, "");
        assertThat(fiveDown.take().down()).isTrue();
    }
}
