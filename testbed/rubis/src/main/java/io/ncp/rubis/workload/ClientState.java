package io.ncp.rubis.workload;

import java.util.SplittableRandom;

/**
 * What one emulated client remembers between pages (the RUBiS session): the user it logs in as, the
 * category / region / item it is looking at, the values the primary answered that the next page needs.
 * Confined to its client thread.
 */
public final class ClientState {

    private final SplittableRandom random;
    private final int clientId;
    private final String runTag;
    private final int users;
    private final int items;
    private final int categories;
    private final int regions;
    private int sequence;

    int userId = 1;
    int itemId = 1;
    int sellerId = 1;
    int category = 1;
    int region = 1;
    int page;
    float maxBid;
    int quantity;

    /**
     * @param runTag short tag (a few characters) making this run's new nicknames unique
     */
    public ClientState(int clientId, long seed, String runTag, int users, int items, int categories, int regions) {
        this.clientId = clientId;
        this.random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (clientId + 1)));
        this.runTag = runTag;
        this.users = users;
        this.items = items;
        this.categories = categories;
        this.regions = regions;
    }

    public SplittableRandom random() {
        return random;
    }

    int randomUser() {
        return 1 + random.nextInt(users);
    }

    int randomItem() {
        return 1 + random.nextInt(items);
    }

    int randomCategory() {
        return 1 + random.nextInt(categories);
    }

    int randomRegion() {
        return 1 + random.nextInt(regions);
    }

    /** A name no other client or run uses (nickname: at most 20 characters). */
    String uniqueName() {
        return runTag + "c" + clientId + "n" + (++sequence);
    }

    /** Logs in as a random preloaded user (the *Auth pages). */
    void login() {
        userId = randomUser();
    }
}
