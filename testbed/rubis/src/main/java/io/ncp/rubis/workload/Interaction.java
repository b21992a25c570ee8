package io.ncp.rubis.workload;

/** The RUBiS interactions (servlet/PHP pages); {@code readWrite} ones modify the database. */
public enum Interaction {
    HOME(Kind.STATIC), REGISTER(Kind.STATIC), REGISTER_USER(Kind.READ_WRITE), BROWSE(Kind.STATIC),
    BROWSE_CATEGORIES(Kind.READ), SEARCH_ITEMS_IN_CATEGORY(Kind.READ), BROWSE_REGIONS(Kind.READ),
    BROWSE_CATEGORIES_IN_REGION(Kind.READ), SEARCH_ITEMS_IN_REGION(Kind.READ), VIEW_ITEM(Kind.READ),
    VIEW_USER_INFO(Kind.READ), VIEW_BID_HISTORY(Kind.READ), BUY_NOW_AUTH(Kind.STATIC), BUY_NOW(Kind.READ),
    STORE_BUY_NOW(Kind.READ_WRITE), PUT_BID_AUTH(Kind.STATIC), PUT_BID(Kind.READ), STORE_BID(Kind.READ_WRITE),
    PUT_COMMENT_AUTH(Kind.STATIC), PUT_COMMENT(Kind.READ), STORE_COMMENT(Kind.READ_WRITE), SELL(Kind.STATIC),
    SELECT_CATEGORY_TO_SELL_ITEM(Kind.READ), SELL_ITEM_FORM(Kind.STATIC), REGISTER_ITEM(Kind.READ_WRITE),
    ABOUT_ME_AUTH(Kind.STATIC), ABOUT_ME(Kind.READ);

    /** STATIC pages issue no SQL (the app server renders a form); READ and READ_WRITE do. */
    public enum Kind { STATIC, READ, READ_WRITE }

    private final Kind kind;

    Interaction(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public boolean readWrite() {
        return kind == Kind.READ_WRITE;
    }
}
