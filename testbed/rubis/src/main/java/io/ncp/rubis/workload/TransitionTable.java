package io.ncp.rubis.workload;

import static io.ncp.rubis.workload.Interaction.ABOUT_ME;
import static io.ncp.rubis.workload.Interaction.ABOUT_ME_AUTH;
import static io.ncp.rubis.workload.Interaction.BROWSE;
import static io.ncp.rubis.workload.Interaction.BROWSE_CATEGORIES;
import static io.ncp.rubis.workload.Interaction.BROWSE_CATEGORIES_IN_REGION;
import static io.ncp.rubis.workload.Interaction.BROWSE_REGIONS;
import static io.ncp.rubis.workload.Interaction.BUY_NOW;
import static io.ncp.rubis.workload.Interaction.BUY_NOW_AUTH;
import static io.ncp.rubis.workload.Interaction.HOME;
import static io.ncp.rubis.workload.Interaction.PUT_BID;
import static io.ncp.rubis.workload.Interaction.PUT_BID_AUTH;
import static io.ncp.rubis.workload.Interaction.PUT_COMMENT;
import static io.ncp.rubis.workload.Interaction.PUT_COMMENT_AUTH;
import static io.ncp.rubis.workload.Interaction.REGISTER;
import static io.ncp.rubis.workload.Interaction.REGISTER_ITEM;
import static io.ncp.rubis.workload.Interaction.REGISTER_USER;
import static io.ncp.rubis.workload.Interaction.SEARCH_ITEMS_IN_CATEGORY;
import static io.ncp.rubis.workload.Interaction.SEARCH_ITEMS_IN_REGION;
import static io.ncp.rubis.workload.Interaction.SELECT_CATEGORY_TO_SELL_ITEM;
import static io.ncp.rubis.workload.Interaction.SELL;
import static io.ncp.rubis.workload.Interaction.SELL_ITEM_FORM;
import static io.ncp.rubis.workload.Interaction.STORE_BID;
import static io.ncp.rubis.workload.Interaction.STORE_BUY_NOW;
import static io.ncp.rubis.workload.Interaction.STORE_COMMENT;
import static io.ncp.rubis.workload.Interaction.VIEW_BID_HISTORY;
import static io.ncp.rubis.workload.Interaction.VIEW_ITEM;
import static io.ncp.rubis.workload.Interaction.VIEW_USER_INFO;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The bidding mix as a Markov chain over RUBiS's pages, after RUBiS's transition table: browse by category
 * or region, view items, bid / buy now / comment, sell, register, "about me". Weights are per cent and sum
 * to 100 per page; the chain's stationary share of read-write interactions is about 15 % (RUBiS: 15 % for
 * the bidding mix) — {@code TransitionTableTest} computes it. Immutable and thread-safe.
 */
public final class TransitionTable {

    private final Map<Interaction, Interaction[]> targets = new EnumMap<>(Interaction.class);
    private final Map<Interaction, int[]> cumulative = new EnumMap<>(Interaction.class);

    private TransitionTable() {
    }

    /** The bidding mix (~15 % read-write). */
    public static TransitionTable biddingMix() {
        TransitionTable t = new TransitionTable();
        t.row(HOME, BROWSE, 55, SELL, 20, ABOUT_ME_AUTH, 10, REGISTER, 15);
        t.row(REGISTER, REGISTER_USER, 100);
        t.row(REGISTER_USER, BROWSE, 80, HOME, 20);
        t.row(BROWSE, BROWSE_CATEGORIES, 60, BROWSE_REGIONS, 40);
        t.row(BROWSE_CATEGORIES, SEARCH_ITEMS_IN_CATEGORY, 100);
        t.row(SEARCH_ITEMS_IN_CATEGORY, VIEW_ITEM, 90, SEARCH_ITEMS_IN_CATEGORY, 6, BROWSE_CATEGORIES, 4);
        t.row(BROWSE_REGIONS, BROWSE_CATEGORIES_IN_REGION, 100);
        t.row(BROWSE_CATEGORIES_IN_REGION, SEARCH_ITEMS_IN_REGION, 95, BROWSE_REGIONS, 5);
        t.row(SEARCH_ITEMS_IN_REGION, VIEW_ITEM, 85, SEARCH_ITEMS_IN_REGION, 10, BROWSE_CATEGORIES_IN_REGION, 5);
        t.row(VIEW_ITEM, PUT_BID_AUTH, 55, BUY_NOW_AUTH, 15, VIEW_BID_HISTORY, 6, VIEW_USER_INFO, 12,
            SEARCH_ITEMS_IN_CATEGORY, 12);
        t.row(VIEW_USER_INFO, PUT_COMMENT_AUTH, 60, SEARCH_ITEMS_IN_CATEGORY, 40);
        t.row(VIEW_BID_HISTORY, PUT_BID_AUTH, 40, SEARCH_ITEMS_IN_CATEGORY, 60);
        t.row(PUT_BID_AUTH, PUT_BID, 100);
        t.row(PUT_BID, STORE_BID, 95, VIEW_ITEM, 5);
        t.row(STORE_BID, SEARCH_ITEMS_IN_CATEGORY, 90, HOME, 10);
        t.row(BUY_NOW_AUTH, BUY_NOW, 100);
        t.row(BUY_NOW, STORE_BUY_NOW, 95, VIEW_ITEM, 5);
        t.row(STORE_BUY_NOW, HOME, 50, SEARCH_ITEMS_IN_CATEGORY, 50);
        t.row(PUT_COMMENT_AUTH, PUT_COMMENT, 100);
        t.row(PUT_COMMENT, STORE_COMMENT, 90, HOME, 10);
        t.row(STORE_COMMENT, HOME, 50, SEARCH_ITEMS_IN_CATEGORY, 50);
        t.row(SELL, SELECT_CATEGORY_TO_SELL_ITEM, 100);
        t.row(SELECT_CATEGORY_TO_SELL_ITEM, SELL_ITEM_FORM, 100);
        t.row(SELL_ITEM_FORM, REGISTER_ITEM, 100);
        t.row(REGISTER_ITEM, HOME, 100);
        t.row(ABOUT_ME_AUTH, ABOUT_ME, 100);
        t.row(ABOUT_ME, HOME, 50, BROWSE, 50);
        for (Interaction i : Interaction.values()) {
            if (!t.targets.containsKey(i)) {
                throw new IllegalStateException("no transitions from " + i);
            }
        }
        return t;
    }

    /** Pairs of (target, weight); weights must sum to 100. */
    private void row(Interaction from, Object... pairs) {
        Interaction[] to = new Interaction[pairs.length / 2];
        int[] cum = new int[to.length];
        int sum = 0;
        for (int i = 0; i < to.length; i++) {
            to[i] = (Interaction) pairs[2 * i];
            sum += (Integer) pairs[2 * i + 1];
            cum[i] = sum;
        }
        if (sum != 100) {
            throw new IllegalStateException(from + ": weights sum to " + sum);
        }
        targets.put(from, to);
        cumulative.put(from, cum);
    }

    /** The page a client visits after {@code current}. */
    public Interaction next(Interaction current, SplittableRandom random) {
        int roll = random.nextInt(100);
        int[] cum = cumulative.get(current);
        for (int i = 0; i < cum.length; i++) {
            if (roll < cum[i]) {
                return targets.get(current)[i];
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** Transition probability from {@code a} to {@code b} (0..1). */
    public double probability(Interaction a, Interaction b) {
        Interaction[] to = targets.get(a);
        int[] cum = cumulative.get(a);
        double p = 0;
        for (int i = 0; i < to.length; i++) {
            if (to[i] == b) {
                p += (cum[i] - (i == 0 ? 0 : cum[i - 1])) / 100.0;
            }
        }
        return p;
    }
}
