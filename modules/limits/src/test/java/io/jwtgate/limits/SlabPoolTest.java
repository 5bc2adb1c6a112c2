package io.jwtgate.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The slab model against what stock nginx 1.22 holds (measured by {@code LimitReqDifferentialTest} through its
 * answers): a limit_req entry is 80 bytes and its key, the zone's own allocations are its tree (80 bytes) and the
 * name in its log lines ({@code " in limit_req zone \"NAME\""}, 22 bytes and the name).
 */
class SlabPoolTest {

    @Test
    void pagesOfAZoneAfterThePoolHeader() {
        assertThat(SlabPool.pages(32 * 1024)).isEqualTo(7);
        assertThat(SlabPool.pages(64 * 1024)).isEqualTo(15);
        assertThat(SlabPool.pages(1024 * 1024)).isEqualTo(254);
    }

    @Test
    void entriesShareThePagesOfTheirSlotSize() {
        // 32k: 7 pages; the tree's 128-byte slot page has 31 slots left, the name takes a page of 32-byte slots
        assertThat(SlabPool.capacity(32 * 1024, 80 + 5, 80, 22 + 3)).isEqualTo(31 + 5 * 32);
        // 64k, 49-byte keys: 129 bytes take 256-byte slots, 16 a page, on the 13 pages left
        assertThat(SlabPool.capacity(64 * 1024, 80 + 49, 80, 22 + 3)).isEqualTo(13 * 16);
    }

    @Test
    void smallSlotPagesKeepTheirBitmapInTheirFirstSlots() {
        SlabPool pool = new SlabPool(32 * 1024);
        int n = 0;
        while (pool.alloc(8)) {
            n++;
        }
        assertThat(n).isEqualTo(7 * (512 - 8));
    }

    @Test
    void largeEntriesTakeWholePagesAndFreeingGivesThemBack() {
        SlabPool pool = new SlabPool(32 * 1024);
        assertThat(pool.alloc(3 * 4096 + 1)).isTrue();
        assertThat(pool.alloc(3 * 4096 + 1)).isFalse();
        assertThat(pool.alloc(3 * 4096)).isTrue();
        pool.free(3 * 4096 + 1);
        assertThat(pool.alloc(4 * 4096)).isTrue();
    }

    @Test
    void aPageOfSlotsIsGivenBackWhenItsEntriesFitTheOthers() {
        SlabPool pool = new SlabPool(32 * 1024);
        for (int i = 0; i < 7 * 32; i++) {
            assertThat(pool.alloc(100)).isTrue();
        }
        assertThat(pool.alloc(100)).isFalse();
        assertThat(pool.alloc(3000)).isFalse();
        pool.free(100);
        assertThat(pool.alloc(3000)).isFalse();
        for (int i = 0; i < 31; i++) {
            pool.free(100);
        }
        assertThat(pool.alloc(3000)).isTrue();
    }
}
