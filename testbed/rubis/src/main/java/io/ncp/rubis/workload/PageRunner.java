package io.ncp.rubis.workload;

import java.sql.Connection;
import java.sql.SQLException;

/** Dispatches one page to its SQL and updates the client's state the way RUBiS's pages do. */
final class PageRunner {

    private PageRunner() {
    }

    /** Runs {@code page} for {@code st} on {@code c}; returns rows read or written. */
    static int run(Interaction page, ClientState st, Connection c) throws SQLException {
        ReadInteractions r = new ReadInteractions(c);
        WriteInteractions w = new WriteInteractions(c);
        switch (page) {
            case HOME, BROWSE, SELL, REGISTER, SELL_ITEM_FORM:
                return 0;
            case PUT_BID_AUTH, BUY_NOW_AUTH, PUT_COMMENT_AUTH, ABOUT_ME_AUTH:
                st.login();
                return 0;
            case BROWSE_CATEGORIES:
                return r.browseCategories();
            case SEARCH_ITEMS_IN_CATEGORY:
                st.page = st.page < 4 && st.random().nextInt(4) == 0 ? st.page + 1 : 0;
                st.category = st.page == 0 ? st.randomCategory() : st.category;
                return r.searchItemsInCategory(st);
            case BROWSE_REGIONS:
                return r.browseRegions();
            case BROWSE_CATEGORIES_IN_REGION:
                st.region = st.randomRegion();
                return r.browseCategoriesInRegion(st);
            case SEARCH_ITEMS_IN_REGION:
                st.page = 0;
                st.category = st.randomCategory();
                return r.searchItemsInRegion(st);
            case VIEW_ITEM:
                st.itemId = st.randomItem();
                return r.viewItem(st);
            case VIEW_USER_INFO:
                return r.viewUserInfo(st);
            case VIEW_BID_HISTORY:
                return r.viewBidHistory(st);
            case PUT_BID:
                return r.putBid(st);
            case STORE_BID:
                return w.storeBid(st);
            case BUY_NOW:
                return r.buyNow(st);
            case STORE_BUY_NOW:
                return w.storeBuyNow(st);
            case PUT_COMMENT:
                return r.putComment(st);
            case STORE_COMMENT:
                return w.storeComment(st);
            case SELECT_CATEGORY_TO_SELL_ITEM:
                st.category = st.randomCategory();
                return r.selectCategoryToSellItem();
            case REGISTER_ITEM:
                return w.registerItem(st);
            case REGISTER_USER:
                st.region = st.randomRegion();
                return w.registerUser(st);
            case ABOUT_ME:
                return r.aboutMe(st);
            default:
                throw new IllegalArgumentException("unknown page " + page);
        }
    }
}
