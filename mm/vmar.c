#include <string.h>
#include <zircon/errors.h>

#include "kernel.h"
#include "mm/heap.h"
#include "mm/kvm.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/pt.h"
#include "mm/pte.h"
#include "mm/vmar.h"

/* Beyond this many pages an unmap flushes the whole ASID instead of page by page. */
#define FLUSH_PAGES_MAX 64

static uint64_t table_pages; /* user page-table pages in use, roots included */

static paddr_t user_table_alloc(void)
{
	paddr_t pa = pmm_alloc();
	table_pages += pa != 0;
	return pa;
}

static void user_table_free(paddr_t pa)
{
	table_pages--;
	pmm_free(pa);
}

static const struct pt_ops user_pt_ops = {user_table_alloc, user_table_free};

/* Keep one table of `tables` as the address space's spare; free the rest. */
static void keep_spare(struct aspace *as, struct pt_reserve *tables)
{
	if (as->spare.n == 0 && tables->n > 0) {
		paddr_t pa = tables->head;
		uint64_t *t = paddr_to_kva(pa);
		tables->head = t[0];
		tables->n--;
		t[0] = 0; /* the spare's link: end of its one-table list */
		as->spare = (struct pt_reserve){pa, 1};
	}
	pt_unreserve(tables, &user_pt_ops);
}

uint64_t aspace_table_pages(void)
{
	return table_pages;
}
static uint32_t asid_bits;
static uint16_t next_asid = 1;

/* Write all-ones to satp.ASID and see which bits stick (priv. spec 4.1.11). */
void aspace_probe_asids(uint32_t max_bits)
{
	uint64_t satp = csr_read(satp);
	csr_write(satp, satp | (SATP_ASID_MASK << SATP_ASID_SHIFT));
	uint64_t asid = (csr_read(satp) >> SATP_ASID_SHIFT) & SATP_ASID_MASK;
	csr_write(satp, satp);
	sfence_vma_all();
	while ((asid & 1) && asid_bits < max_bits) {
		asid_bits++;
		asid >>= 1;
	}
}

uint32_t aspace_asid_bits(void)
{
	return asid_bits;
}

zx_status_t aspace_init(struct aspace *as)
{
	paddr_t root = user_table_alloc();
	if (!root)
		return ZX_ERR_NO_MEMORY;
	uint64_t *r = paddr_to_kva(root), *k = paddr_to_kva(kvm_root());
	memset(r, 0, 256 * sizeof(uint64_t));
	*pt_count(root) = 0; /* counts the user half only: the kernel half is never unmapped here */
	memcpy(&r[256], &k[256], 256 * sizeof(uint64_t));
	as->root = root;
	as->spare = (struct pt_reserve){0};
	/* Without enough ASID bits every address space shares ASID 0 and switches flush all. */
	as->asid = asid_bits >= 8 ? next_asid++ & ((1u << asid_bits) - 1) : 0;
	return ZX_OK;
}

void aspace_destroy(struct aspace *as)
{
	pt_unreserve(&as->spare, &user_pt_ops);
	pt_destroy_user(as->root, &user_pt_ops);
	sfence_vma_asid(as->asid);
}

void aspace_activate(const struct aspace *as)
{
	csr_write_satp(SATP_MODE_SV39 | ((uint64_t)as->asid << SATP_ASID_SHIFT) |
		       (as->root >> PAGE_SHIFT));
}

void aspace_flush(const struct aspace *as, vaddr_t va, size_t len)
{
	if (len / PAGE_SIZE > FLUSH_PAGES_MAX || as->asid == 0) {
		sfence_vma_asid(as->asid);
		return;
	}
	for (vaddr_t p = va; p < va + len; p += PAGE_SIZE)
		sfence_vma_page(p, as->asid);
}

static struct vmar *all_vmars; /* every live VMAR, for the alias guard */

void vmar_destroy(struct vmar *v)
{
	for (struct vmar **pp = &all_vmars; *pp; pp = &(*pp)->next_vmar)
		if (*pp == v) {
			*pp = v->next_vmar;
			break;
		}
	vmar_unmap_all(v);
	kfree(v, sizeof(*v));
}

zx_status_t vmar_create_root(struct aspace *as, struct vmar **out)
{
	struct vmar *v = kzalloc(sizeof(*v));
	if (!v)
		return ZX_ERR_NO_MEMORY;
	v->as = as;
	v->base = USER_BASE;
	v->size = USER_END - USER_BASE;
	v->next_vmar = all_vmars;
	all_vmars = v;
	*out = v;
	return ZX_OK;
}

static bool overlaps(const struct mapping *m, vaddr_t a, size_t len)
{
	return a < m->base + m->len && m->base < a + len;
}

/* Lowest aligned gap of `len` bytes ending at or below `limit` (0: the VMAR's end), or 0. */
static vaddr_t find_gap(struct vmar *v, size_t len, size_t align, vaddr_t limit)
{
	if (!limit || limit > v->base + v->size)
		limit = v->base + v->size;
	vaddr_t a = ALIGN_UP(v->base, align);
	for (struct mapping *m = v->maps; m; m = m->next) {
		if (a + len <= m->base)
			break;
		if (m->base + m->len > a)
			a = ALIGN_UP(m->base + m->len, align);
	}
	return a + len <= limit ? a : 0;
}

static void insert_sorted(struct vmar *v, struct mapping *n)
{
	struct mapping **pp = &v->maps;
	while (*pp && (*pp)->base < n->base)
		pp = &(*pp)->next;
	n->next = *pp;
	*pp = n;
}

static uint64_t perm_bits(uint32_t perms)
{
	return (perms & ZX_VM_PERM_READ ? PTE_R : 0) | (perms & ZX_VM_PERM_WRITE ? PTE_W : 0) |
	       (perms & ZX_VM_PERM_EXECUTE ? PTE_X : 0);
}

static uint64_t leaf_attr(uint32_t perms, uint32_t cache_policy)
{
	return pte_leaf_attrs(pte_encoding(), perm_bits(perms), true, cache_policy);
}

/*
 * The alias guard: would mapping [pa, pa+len) with `memtype` give a
 * physical page a second, different memory type anywhere? Physical VMOs
 * only cover MMIO and carve-outs (never the direct map), so the kernel's
 * own device mappings and every user mapping of a physical VMO are all
 * that can clash.
 */
bool vmar_alias_conflict(paddr_t pa, size_t len, int memtype)
{
	if (kvm_alias_conflict(pa, len, memtype))
		return true;
	for (struct vmar *v = all_vmars; v; v = v->next_vmar)
		for (struct mapping *m = v->maps; m; m = m->next) {
			paddr_t mpa = m->vmo->phys + m->vmo_off;
			if (m->vmo->physical && pa < mpa + m->len && mpa < pa + len &&
			    vmo_memtype(m->vmo->cache_policy) != memtype)
				return true;
		}
	return false;
}

bool vmar_vmo_mapped_from(const struct vmo *vmo, uint64_t off)
{
	for (const struct vmar *v = all_vmars; v; v = v->next_vmar)
		for (const struct mapping *m = v->maps; m; m = m->next)
			if (m->vmo == vmo && m->vmo_off + m->len > off)
				return true;
	return false;
}

/* Alignment that lets a physical mapping use the largest leaves its address and size allow. */
size_t vmar_large_align(paddr_t pa, size_t len)
{
	for (int level = 2; level > 0; level--)
		if (IS_ALIGNED(pa, SV39_LEVEL_SIZE(level)) && len >= SV39_LEVEL_SIZE(level))
			return SV39_LEVEL_SIZE(level);
	if (pt_napot() && IS_ALIGNED(pa, NAPOT_SIZE) && len >= NAPOT_SIZE)
		return NAPOT_SIZE;
	return PAGE_SIZE;
}

/* Write the leaves of a prepared mapping; cannot fail. */
static void write_leaves(struct vmar *vmar, struct mapping *m, struct pt_reserve *res)
{
	uint64_t attr = leaf_attr(m->perms, m->vmo->cache_policy);

	if (!m->perms)
		return; /* a mapping without permissions reserves the range; no PTEs */
	if (m->vmo->physical) {
		pt_write(vmar->as->root, m->base, m->vmo->phys + m->vmo_off, m->len, attr, true,
			 res);
		return;
	}
	for (size_t off = 0; off < m->len; off += PAGE_SIZE)
		pt_write(vmar->as->root, m->base + off, vmo_commit_page(m->vmo, m->vmo_off + off),
			 PAGE_SIZE, attr, false, res);
}

/* Prepare (commit pages, reserve tables, allocate the record), then commit the PTEs. */
zx_status_t vmar_map(struct vmar *vmar, const struct map_request *rq, vaddr_t *out)
{
	struct vmo *vmo = rq->vmo;
	vaddr_t addr = rq->addr;
	struct pt_reserve res = {0};

	if (vmo->physical &&
	    vmar_alias_conflict(vmo->phys + rq->vmo_off, rq->len, vmo_memtype(vmo->cache_policy)))
		return ZX_ERR_BAD_STATE;
	if (rq->specific) {
		bool taken = false;
		for (struct mapping *m = vmar->maps; m; m = m->next)
			taken |= overlaps(m, addr, rq->len);
		if (taken && !rq->overwrite)
			return ZX_ERR_ALREADY_EXISTS;
		zx_status_t st;
		if (taken && (st = vmar_unmap(vmar, addr, rq->len)) != ZX_OK)
			return st; /* NO_MEMORY to split a mapping: nothing changed */
	} else if (!(addr = find_gap(vmar, rq->len, rq->align, rq->limit))) {
		return ZX_ERR_NO_RESOURCES;
	}
	if (vmo_commit(vmo, rq->vmo_off, rq->len) != ZX_OK)
		return ZX_ERR_NO_MEMORY;
	struct mapping *m = kzalloc(sizeof(*m));
	if (!m)
		return ZX_ERR_NO_MEMORY;
	*m = (struct mapping){addr, rq->len, vmo, rq->vmo_off, rq->perms, rq->max_perms, NULL};
	paddr_t pa = vmo->physical ? vmo->phys + rq->vmo_off : vmo_commit_page(vmo, rq->vmo_off);
	res = vmar->as->spare; /* used first: it needs no zeroing */
	vmar->as->spare = (struct pt_reserve){0};
	if (!m->perms ||
	    !pt_map_one_leaf(vmar->as->root, addr, pa, rq->len,
			     leaf_attr(m->perms, vmo->cache_policy), vmo->physical, &res)) {
		if (pt_reserve(vmar->as->root, addr, vmo->physical ? pa : 0, rq->len, vmo->physical,
			       &user_pt_ops, &res)) {
			kfree(m, sizeof(*m));
			return ZX_ERR_NO_MEMORY;
		}
		write_leaves(vmar, m, &res);
	}
	keep_spare(vmar->as, &res); /* what the map did not use, e.g. for no permissions */
	/* Without Svvptc a hart may have cached the old invalid entries. */
	aspace_flush(vmar->as, addr, rq->len);
	vmo_ref(vmo);
	vmo->mappings++;
	insert_sorted(vmar, m);
	*out = addr;
	return ZX_OK;
}

/* Clear the leaves of [va, va+len), flush, then give back the tables left empty. */
static void unmap_range(struct aspace *as, vaddr_t va, size_t len)
{
	struct pt_reserve freed = {0};

	pt_unmap(as->root, va, len, &freed);
	if (freed
		.head) /* sfence.vma with an address flushes leaf entries only (priv. spec 4.2.1) */
		sfence_vma_asid(as->asid);
	else
		aspace_flush(as, va, len);
	keep_spare(as, &freed);
}

static void drop_mapping(struct vmar *v, struct mapping *m)
{
	unmap_range(v->as, m->base, m->len);
	m->vmo->mappings--;
	vmo_unref(m->vmo);
	kfree(m, sizeof(*m));
}

/* Split mapping m at `at` (inside it) into two records; `tail` becomes the upper part. */
static void split_record(struct vmar *v, struct mapping *m, vaddr_t at, struct mapping *tail)
{
	*tail = *m;
	tail->base = at;
	tail->len = m->base + m->len - at;
	tail->vmo_off = m->vmo_off + (at - m->base);
	m->len = at - m->base;
	vmo_ref(m->vmo);
	m->vmo->mappings++;
	insert_sorted(v, tail);
}

/*
 * Make `addr` and `end` boundaries of both mapping records and leaves: the
 * records and tables needed are all taken before anything changes.
 */
static zx_status_t cut_at(struct vmar *v, vaddr_t addr, vaddr_t end)
{
	vaddr_t at[2] = {addr, end};
	struct mapping *spare[2] = {NULL, NULL};
	struct mapping *inside[2] = {NULL, NULL};

	for (int i = 0; i < 2; i++) {
		for (struct mapping *m = v->maps; m; m = m->next)
			if (at[i] > m->base && at[i] < m->base + m->len)
				inside[i] = m;
		if (inside[i] && !(spare[i] = kzalloc(sizeof(struct mapping)))) {
			kfree(spare[0], sizeof(struct mapping));
			return ZX_ERR_NO_MEMORY;
		}
	}
	if (!inside[0] && !inside[1])
		return ZX_OK; /* both ends already fall between mappings, so between leaves */
	if (pt_split_at(v->as->root, at, 2, &user_pt_ops)) {
		kfree(spare[0], sizeof(struct mapping));
		kfree(spare[1], sizeof(struct mapping));
		return ZX_ERR_NO_MEMORY;
	}
	for (int i = 0; i < 2; i++) {
		struct mapping *m = inside[i];
		if (i == 1 && m == inside[0] && m)
			m = m->next; /* the first cut moved the upper part into a new record */
		if (m)
			split_record(v, m, at[i], spare[i]);
	}
	return ZX_OK;
}

zx_status_t vmar_unmap(struct vmar *v, vaddr_t addr, size_t len)
{
	bool found = false, partial = false;
	zx_status_t st;

	/* The common case, one whole mapping: unlink it on the way. */
	for (struct mapping **pp = &v->maps; *pp && (*pp)->base <= addr; pp = &(*pp)->next) {
		struct mapping *m = *pp;
		if (m->base == addr && m->len == len) {
			*pp = m->next;
			drop_mapping(v, m);
			return ZX_OK;
		}
	}
	for (struct mapping *m = v->maps; m; m = m->next) {
		if (!overlaps(m, addr, len))
			continue;
		found = true;
		partial |= addr > m->base || addr + len < m->base + m->len;
	}
	if (!found)
		return ZX_ERR_NOT_FOUND;
	/* Only a mapping cut in pieces needs new records and split leaves. */
	if (partial && (st = cut_at(v, addr, addr + len)) != ZX_OK)
		return st;
	for (struct mapping **pp = &v->maps; *pp;) {
		struct mapping *m = *pp;
		if (overlaps(m, addr, len)) {
			*pp = m->next;
			drop_mapping(v, m);
		} else {
			pp = &m->next;
		}
	}
	return ZX_OK;
}

zx_status_t vmar_protect(struct vmar *v, uint32_t perms, vaddr_t addr, size_t len)
{
	vaddr_t next = addr;
	zx_status_t st;

	/* Every page must be mapped, and no mapping may gain what its handles did not allow. */
	for (struct mapping *m = v->maps; m && next < addr + len; m = m->next) {
		if (m->base + m->len <= next)
			continue;
		if (m->base > next)
			return ZX_ERR_NOT_FOUND;
		if (perms & ~m->max_perms)
			return ZX_ERR_ACCESS_DENIED;
		if (!m->perms && perms)
			return ZX_ERR_NOT_SUPPORTED; /* no tables were reserved for it */
		next = m->base + m->len;
	}
	if (next < addr + len)
		return ZX_ERR_NOT_FOUND;
	if ((st = cut_at(v, addr, addr + len)) != ZX_OK)
		return st;
	for (struct mapping *m = v->maps; m; m = m->next) {
		if (!overlaps(m, addr, len))
			continue;
		if (m->perms && perms)
			pt_protect(v->as->root, m->base, m->len, perm_bits(perms));
		else if (m->perms)
			unmap_range(v->as, m->base, m->len);
		m->perms = perms;
	}
	aspace_flush(v->as, addr, len);
	return ZX_OK;
}

zx_status_t vmar_each_piece(struct vmar *v, vaddr_t addr, size_t len, vmar_piece_fn fn, void *ctx)
{
	vaddr_t at = addr, end = addr + len;

	for (struct mapping *m = v->maps; m && at < end; m = m->next) {
		if (m->base + m->len <= at)
			continue;
		if (m->base > at)
			return ZX_ERR_NOT_FOUND;
		size_t n = (m->base + m->len < end ? m->base + m->len : end) - at;
		zx_status_t st = fn(m, m->vmo_off + (at - m->base), n, ctx);
		if (st != ZX_OK)
			return st;
		at += n;
	}
	return at < end ? ZX_ERR_NOT_FOUND : ZX_OK;
}

void vmar_unmap_all(struct vmar *v)
{
	while (v->maps) {
		struct mapping *m = v->maps;
		v->maps = m->next;
		drop_mapping(v, m);
	}
}
