package io.jwtgate.limits;

/**
 * How much of a zone its entries take, as nginx's slab allocator ({@code ngx_slab_init}, {@code ngx_slab_alloc}) on a
 * 64-bit Linux lays out a shared memory zone: the pool's own header and page table come off the top, the rest is
 * pages of 4096 bytes; a request of up to 2048 bytes takes a slot of the next power of two (at least 8) in a page of
 * slots of that size (pages of slots under 64 bytes keep their bitmap in their first slots), a larger one takes whole
 * pages. A zone therefore holds as many entries as nginx's, and a full zone refuses an entry where nginx's would
 * ("could not allocate node").
 *
 * <p>Only counts are kept, not addresses: a page of slots is given back as soon as its slots could all be packed
 * into the other pages of its size, and large requests need free pages but not adjacent ones. Where nginx's
 * memory is fragmented (entries of many sizes freed in a scattered order) it may refuse a little earlier
 * (docs/limits.md#zones).
 *
 * <p>Not thread-safe: the caller serializes allocations of one zone, as nginx holds the zone's mutex.
 */
public final class SlabPool {

    /** {@code offsetof(ngx_rbtree_node_t, color)}: the tree node every entry starts with. */
    public static final int RBTREE_NODE_HEADER = 32;

    private static final int PAGE = ZoneParameter.PAGE_SIZE;
    private static final int MAX_SLOT = PAGE / 2;
    private static final int MIN_SHIFT = 3;
    private static final int EXACT_SHIFT = 6; // 4096 / (8 * sizeof(uintptr_t)) = 64 bytes
    private static final int PAGE_SHIFT = 12;
    /** {@code sizeof(ngx_slab_page_t)}: one entry of the page table per page. */
    private static final int PAGE_ENTRY = 24;
    /** {@code sizeof(ngx_slab_pool_t)} and the slot lists and statistics that follow it. */
    private static final int POOL_HEADER = 200 + (PAGE_SHIFT - MIN_SHIFT) * (24 + 32);

    private final long pages;
    private long freePages;
    private final long[] classPages = new long[PAGE_SHIFT - MIN_SHIFT];
    private final long[] live = new long[PAGE_SHIFT - MIN_SHIFT];

    /** An empty pool over a zone of {@code zoneSize} bytes. */
    public SlabPool(long zoneSize) {
        this.pages = pages(zoneSize);
        this.freePages = pages;
    }

    /** The pages of a zone of {@code zoneSize} bytes once the pool's header and page table are taken off. */
    static long pages(long zoneSize) {
        long pages = (zoneSize - POOL_HEADER) / (PAGE + PAGE_ENTRY);
        long start = (POOL_HEADER + pages * PAGE_ENTRY + PAGE - 1) / PAGE * PAGE;
        return Math.max(0, Math.min(pages, (zoneSize - start) / PAGE));
    }

    /** The pages of the zone, free or not. */
    public long pages() {
        return pages;
    }

    /** Whether {@code size} bytes could be had; takes them when so. */
    public boolean alloc(int size) {
        if (size > MAX_SLOT) {
            long need = pagesFor(size);
            if (freePages < need) {
                return false;
            }
            freePages -= need;
            return true;
        }
        int c = slotClass(size);
        if (live[c] >= classPages[c] * slotsPerPage(c)) {
            if (freePages == 0) {
                return false;
            }
            freePages--;
            classPages[c]++;
        }
        live[c]++;
        return true;
    }

    /** Gives back {@code size} bytes taken by {@link #alloc}. */
    public void free(int size) {
        if (size > MAX_SLOT) {
            freePages += pagesFor(size);
            return;
        }
        int c = slotClass(size);
        live[c]--;
        if (live[c] <= (classPages[c] - 1) * slotsPerPage(c)) {
            classPages[c]--;
            freePages++;
        }
    }

    /**
     * How many entries of {@code entrySize} bytes a zone of {@code zoneSize} bytes holds once the module's own
     * allocations ({@code headers}, in bytes, made when the zone is created) are made: for the documentation and
     * the start-up check.
     */
    public static long capacity(long zoneSize, int entrySize, int... headers) {
        SlabPool pool = new SlabPool(zoneSize);
        for (int h : headers) {
            if (!pool.alloc(h)) {
                return 0;
            }
        }
        long n = 0;
        while (pool.alloc(entrySize)) {
            n++;
        }
        return n;
    }

    private static long pagesFor(int size) {
        return (size + PAGE - 1) / PAGE;
    }

    /** The index of the slot size a request of {@code size} bytes (at most 2048) takes: 0 for 8 bytes. */
    private static int slotClass(int size) {
        int shift = size <= 1 << MIN_SHIFT ? MIN_SHIFT : 32 - Integer.numberOfLeadingZeros(size - 1);
        return shift - MIN_SHIFT;
    }

    /** The slots of one page of slot class {@code c}, without those its bitmap takes. */
    private static int slotsPerPage(int c) {
        int shift = c + MIN_SHIFT;
        int slots = PAGE >> shift;
        if (shift >= EXACT_SHIFT) {
            return slots;
        }
        int bitmap = Math.max(1, slots / ((1 << shift) * 8));
        return slots - bitmap;
    }
}
