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
#include "sched.h"
#include "smp.h"

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

/* keep_spare's work, out of line: most unmaps leave no table to keep. */
static __attribute__((noinline)) void keep_some(struct aspace *as, struct pt_reserve *tables)
{
	if (as->spare.n == 0) {
		paddr_t pa = tables->head;
		uint64_t *t = paddr_to_kva(pa);
		tables->head = t[0];
		tables->n--;
		t[0] = 0; /* the spare's link: end of its one-table list */
		as->spare = (struct pt_reserve){pa, 1};
	}
	pt_unreserve(tables, &user_pt_ops);
}

/* Keep one table of `tables` as the address space's spare; free the rest. */
static inline void keep_spare(struct aspace *as, struct pt_reserve *tables)
{
	if (tables->n)
		keep_some(as, tables);
}

uint64_t aspace_table_pages(void)
{
	return table_pages;
}
static uint64_t harts_to_flush(struct aspace *as);

/* Write all-ones to satp.ASID and see which bits stick (priv. spec 4.1.11). */
void aspace_probe_asids(uint32_t max_bits, uint32_t ncpus)
{
	uint64_t satp = csr_read(satp);
	csr_write(satp, satp | (SATP_ASID_MASK << SATP_ASID_SHIFT));
	uint64_t asid = (csr_read(satp) >> SATP_ASID_SHIFT) & SATP_ASID_MASK;
	uint32_t bits = 0;
	csr_write(satp, satp);
	sfence_vma_all();
	while ((asid & 1) && bits < max_bits) {
		bits++;
		asid >>= 1;
	}
	mmu_ctx_setup(bits, ncpus);
}

uint32_t aspace_asid_bits(void)
{
	return mmu_ctx_asid_bits();
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
	*as = (struct aspace){.root = root, .mmu = mmu_ctx_new(root)};
	return ZX_OK;
}

void aspace_destroy(struct aspace *as)
{
	KASSERT(!as->maps); /* its root VMAR was destroyed first */
	pt_unreserve(&as->spare, &user_pt_ops);
	/*
	 * No flush: no hart runs it now, and its ASID names no other address
	 * space before its generation ends, after which every hart flushes
	 * everything before it loads a context (kernel/mmu_ctx.h).
	 */
	pt_destroy_user(as->root, &user_pt_ops);
}

void aspace_activate(struct aspace *as)
{
	csr_write_satp(mmu_ctx_enter(&as->mmu, this_cpu())); /* fences before and after */
}

static uint64_t deferred_flushes;

uint64_t aspace_deferred_flushes(void)
{
	return deferred_flushes;
}

/*
 * The other harts that must flush `as` now: those running it. One that is
 * waiting for the kernel lock flushes when it has it (cpu.flush_pending);
 * one running another address space loses its bit and flushes the whole
 * ASID when it next switches to this one (kernel/sched.c).
 */
static uint64_t harts_to_flush(struct aspace *as)
{
	uint64_t now = 0;
	for (uint64_t m = as->mmu.harts & ~(1ul << this_cpu()->index); m; m &= m - 1) {
		uint32_t i = (uint32_t)__builtin_ctzl(m);
		if (cpus[i].current->mmu != &as->mmu)
			as->mmu.harts &= ~(1ul << i);
		else if (__atomic_load_n(&cpus[i].lock_waiting, __ATOMIC_SEQ_CST)) {
			cpus[i].flush_pending = 1; /* in the kernel, waiting for this lock */
			deferred_flushes++;
		} else
			now |= 1ul << i;
	}
	return now;
}

/* Flush [va, va+len) of `as` on this hart; true if it flushed the whole ASID. */
static bool flush_here(struct aspace *as, vaddr_t va, size_t len)
{
	uint16_t asid = mmu_ctx_asid(&as->mmu);
	bool all = len / PAGE_SIZE > FLUSH_PAGES_MAX || asid == 0;

	if (all)
		sfence_vma_asid(asid);
	else
		for (vaddr_t p = va; p < va + len; p += PAGE_SIZE)
			sfence_vma_page(p, asid);
	return all;
}

static __attribute__((noinline)) void flush_everywhere(struct aspace *as, vaddr_t va, size_t len)
{
	uint64_t others = harts_to_flush(as);
	bool all = flush_here(as, va, len);

	if (others)
		smp_remote_sfence(others, all ? 0 : va, all ? SMP_FLUSH_ALL : len,
				  mmu_ctx_asid(&as->mmu));
}

void aspace_flush(struct aspace *as, vaddr_t va, size_t len)
{
	KLOCK_HELD();
	if (as->mmu.harts & ~(1ul << this_cpu()->index))
		flush_everywhere(as, va, len); /* another hart may cache its translations */
	else
		flush_here(as, va, len);
}

/*
 * Entries of [va, va+len) went from invalid to valid. Without Svvptc a
 * hart may have cached the invalid ones (priv. spec 4.2.1): this one
 * flushes, another that did faults, finds the leaf valid and retries
 * (vmar_fault), so no other hart needs an IPI.
 */
static void flush_new_leaves(struct aspace *as, vaddr_t va, size_t len)
{
	flush_here(as, va, len);
}

zx_status_t vmar_create_root(struct aspace *as, struct vmar **out)
{
	struct vmar *v = kzalloc(sizeof(*v));
	if (!v)
		return ZX_ERR_NO_MEMORY;
	*v = (struct vmar){.as = as,
			   .base = USER_BASE,
			   .size = USER_END - USER_BASE,
			   .flags = VMAR_CAN_MAP_ALL,
			   .refs = 1};
	*out = v;
	return ZX_OK;
}

void vmar_ref(struct vmar *v)
{
	v->refs++;
}

void vmar_unref(struct vmar *v)
{
	if (--v->refs == 0) {
		KASSERT(!v->parent && !v->subs);
		kfree(v, sizeof(*v));
	}
}

static bool overlaps(const struct mapping *m, vaddr_t a, size_t len)
{
	return a < m->base + m->len && m->base < a + len;
}

static bool sub_overlaps(const struct vmar *s, vaddr_t a, size_t len)
{
	return a < s->base + s->size && s->base < a + len;
}

/* The first mapping of the address space that ends above `va`. */
static struct mapping *first_map_above(const struct aspace *as, vaddr_t va)
{
	struct mapping *m = as->maps;
	while (m && m->base + m->len <= va)
		m = m->next;
	return m;
}

/*
 * Lowest aligned gap of `len` bytes in v ending at or below `limit` (0:
 * the VMAR's end), or 0. What is taken in v: its mappings and its
 * sub-VMARs (whose own mappings lie inside them), two sorted lists merged.
 */
static vaddr_t find_gap(struct vmar *v, size_t len, size_t align, vaddr_t limit)
{
	vaddr_t end = v->base + v->size;
	vaddr_t a = ALIGN_UP(v->base, align);
	struct mapping *m = first_map_above(v->as, v->base);
	struct vmar *s = v->subs;

	if (!limit || limit > end)
		limit = end;
	for (;;) {
		vaddr_t lo, hi;
		if (m && m->base < end && (!s || m->base < s->base)) {
			lo = m->base;
			hi = m->base + m->len;
			m = m->next;
		} else if (s) {
			lo = s->base;
			hi = s->base + s->size;
			s = s->next;
		} else {
			break;
		}
		if (a + len <= lo)
			break;
		if (hi > a)
			a = ALIGN_UP(hi, align);
	}
	return a + len <= limit ? a : 0;
}

/* Does anything (a mapping, a sub-VMAR) of v overlap [a, a+len) (inside v)? */
static bool range_taken(struct vmar *v, vaddr_t a, size_t len)
{
	struct mapping *m = first_map_above(v->as, a);
	if (m && m->base < a + len)
		return true;
	for (struct vmar *s = v->subs; s && s->base < a + len; s = s->next)
		if (sub_overlaps(s, a, len))
			return true;
	return false;
}

/* Place a region of `len` bytes in v; 0 if it does not fit or (specific) is taken. */
static vaddr_t place(struct vmar *v, size_t len, const struct placement *at, bool taken_ok)
{
	if (!at->specific)
		return find_gap(v, len, at->align, at->limit);
	return taken_ok || !range_taken(v, at->addr, len) ? at->addr : 0;
}

zx_status_t vmar_allocate(struct vmar *parent, uint32_t flags, size_t size,
			  const struct placement *at, struct vmar **out)
{
	if (parent->dead)
		return ZX_ERR_BAD_STATE;
	vaddr_t base = place(parent, size, at, false);
	if (!base)
		return at->specific ? ZX_ERR_ALREADY_EXISTS : ZX_ERR_NO_RESOURCES;
	struct vmar *c = kzalloc(sizeof(*c));
	if (!c)
		return ZX_ERR_NO_MEMORY;
	*c = (struct vmar){.as = parent->as,
			   .base = base,
			   .size = size,
			   .flags = flags,
			   .refs = 2, /* the caller's and the parent's */
			   .parent = parent};
	struct vmar **pp = &parent->subs;
	while (*pp && (*pp)->base < base)
		pp = &(*pp)->next;
	c->next = *pp;
	*pp = c;
	*out = c;
	return ZX_OK;
}

/*
 * Destroy the sub-VMARs on the list `subs` and all below them, with an
 * explicit stack (the list itself, through their `next` links) rather than
 * recursion: nesting depth is the user's choice. Their mappings are gone.
 */
static void destroy_subs(struct vmar *subs)
{
	while (subs) {
		struct vmar *s = subs;
		subs = s->next;
		while (s->subs) {
			struct vmar *c = s->subs;
			s->subs = c->next;
			c->next = subs;
			subs = c;
		}
		s->parent = s->next = NULL;
		s->dead = true;
		vmar_unref(s); /* the parent's reference */
	}
}

/*
 * The physical VMOs that are mapped somewhere: what the alias guard looks
 * through (every mapping of a paged VMO is cached memory, so only these
 * can map a physical range with another memory type).
 */
static struct vmo *mapped_physical;

/* m becomes one of its VMO's mappings (counted and listed). */
static inline void vmo_link(struct mapping *m)
{
	struct vmo *v = m->vmo;
	m->vmo_next = v->maps;
	if (v->maps)
		v->maps->vmo_pprev = &m->vmo_next;
	m->vmo_pprev = &v->maps;
	v->maps = m;
	if (v->mappings++ == 0 && v->physical) {
		v->mapped_next = mapped_physical;
		if (mapped_physical)
			mapped_physical->mapped_pprev = &v->mapped_next;
		v->mapped_pprev = &mapped_physical;
		mapped_physical = v;
	}
}

static void vmo_unlink(struct mapping *m)
{
	struct vmo *v = m->vmo;
	*m->vmo_pprev = m->vmo_next;
	if (m->vmo_next)
		m->vmo_next->vmo_pprev = m->vmo_pprev;
	if (--v->mappings == 0 && v->physical) {
		*v->mapped_pprev = v->mapped_next;
		if (v->mapped_next)
			v->mapped_next->mapped_pprev = v->mapped_pprev;
	}
}

static void insert_sorted(struct aspace *as, struct mapping *n)
{
	struct mapping **pp = &as->maps;
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

/* The leaf attributes for page pa of mapping m: a page shared copy-on-write is read-only. */
static uint64_t page_attr(const struct mapping *m, paddr_t pa)
{
	uint32_t perms = m->perms;
	if (m->vmo->cow && (perms & ZX_VM_PERM_WRITE) && vmo_page_shared(pa))
		perms &= ~ZX_VM_PERM_WRITE;
	return leaf_attr(perms, m->vmo->cache_policy);
}

/* Rewrite the leaf of page `va` of mapping m to show pa with attributes `attr`. */
static void set_leaf(struct aspace *as, vaddr_t va, paddr_t pa, uint64_t attr)
{
	int level;
	uint64_t *pte = pt_lookup(as->root, va, &level);
	if (!pte)
		return;	     /* a mapping without permissions has no leaves */
	KASSERT(level == 0); /* paged VMOs are mapped page by page */
	*pte = PA_TO_PTE(pa) | attr | PTE_V;
	aspace_flush(as, va, PAGE_SIZE);
}

void vmar_vmo_page_changed(const struct vmo *vmo, uint64_t off, paddr_t pa)
{
	for (struct mapping *m = vmo->maps; m; m = m->vmo_next)
		if (m->perms && off >= m->vmo_off && off < m->vmo_off + m->len)
			set_leaf(m->owner->as, m->base + (off - m->vmo_off), pa, page_attr(m, pa));
}

/* Make the shared pages of m inside the VMO range [off, end) read-only. */
static void protect_shared(struct aspace *as, struct mapping *m, uint64_t off, uint64_t end)
{
	uint64_t lo = off > m->vmo_off ? off : m->vmo_off;
	uint64_t hi = end < m->vmo_off + m->len ? end : m->vmo_off + m->len;

	if (!(m->perms & ZX_VM_PERM_WRITE))
		return;
	for (uint64_t o = lo; o < hi; o += PAGE_SIZE) {
		int level;
		vaddr_t va = m->base + (o - m->vmo_off);
		uint64_t *pte = pt_lookup(as->root, va, &level);
		paddr_t pa = pte ? pt_leaf_pa(*pte, level, va) : 0;
		if (pa && vmo_page_shared(pa))
			set_leaf(as, va, pa,
				 leaf_attr(m->perms & ~ZX_VM_PERM_WRITE, m->vmo->cache_policy));
	}
}

void vmar_vmo_write_protect_shared(const struct vmo *vmo, uint64_t off, uint64_t len)
{
	for (struct mapping *m = vmo->maps; m; m = m->vmo_next)
		protect_shared(m->owner->as, m, off, off + len);
}

static void unmap_range(struct aspace *as, vaddr_t va, size_t len);

void vmar_vmo_page_gone(const struct vmo *vmo, uint64_t off)
{
	for (struct mapping *m = vmo->maps; m; m = m->vmo_next)
		if (m->perms && off >= m->vmo_off && off < m->vmo_off + m->len)
			unmap_range(m->owner->as, m->base + (off - m->vmo_off), PAGE_SIZE);
}

/* The PTE bit an access needs: R, W or X. */
static uint64_t leaf_perm(uint32_t access)
{
	return access == ZX_VM_PERM_WRITE ? PTE_W : access == ZX_VM_PERM_EXECUTE ? PTE_X : PTE_R;
}

zx_status_t vmar_fault(struct aspace *as, vaddr_t va, uint32_t access)
{
	KLOCK_HELD();
	struct mapping *m = first_map_above(as, va);
	vaddr_t page = ALIGN_DOWN(va, PAGE_SIZE);
	int level;

	if (!m || m->base > va || !(m->perms & access))
		return ZX_ERR_NOT_FOUND;
	uint64_t off = m->vmo_off + (page - m->base), *pte = pt_lookup(as->root, page, &level);
	if (pte && (*pte & leaf_perm(access))) {
		/*
		 * The leaf allows the access: another hart replaced it while this
		 * one walked the old one (a remap under a running thread). Retry.
		 */
		sfence_vma_page(page, mmu_ctx_asid(&as->mmu));
		return ZX_OK;
	}
	if (m->vmo->physical)
		return ZX_ERR_NOT_FOUND;
	if (!pte) { /* not committed yet, or decommitted: a fresh page, as the permissions say */
		paddr_t pa = access == ZX_VM_PERM_WRITE ? vmo_page_for_write(m->vmo, off)
							: vmo_commit_page(m->vmo, off);
		if (!pa ||
		    pt_map(as->root, page, pa, PAGE_SIZE, page_attr(m, pa), false, &user_pt_ops))
			return ZX_ERR_NO_MEMORY;
		flush_new_leaves(as, page, PAGE_SIZE);
		return ZX_OK;
	}
	if (access != ZX_VM_PERM_WRITE || (*pte & PTE_W))
		return ZX_ERR_NOT_FOUND; /* nothing copy-on-write made read-only: a real fault */
	return vmo_page_for_write(m->vmo, off) ? ZX_OK : ZX_ERR_NO_MEMORY;
}

/* The alias guard's half for user mappings: those of the mapped physical VMOs. */
static __attribute__((noinline)) bool user_alias_conflict(paddr_t pa, size_t len, int memtype)
{
	for (const struct vmo *v = mapped_physical; v; v = v->mapped_next) {
		if (vmo_memtype(v->cache_policy) == memtype)
			continue; /* its mappings all have its one type */
		for (const struct mapping *m = v->maps; m; m = m->vmo_next) {
			paddr_t mpa = v->phys + m->vmo_off;
			if (pa < mpa + m->len && mpa < pa + len)
				return true;
		}
	}
	return false;
}

/*
 * The alias guard: would mapping [pa, pa+len) with `memtype` give a
 * physical page a second, different memory type anywhere? Physical VMOs
 * only cover MMIO and carve-outs (never the direct map), so the kernel's
 * own device mappings and every user mapping of a physical VMO are all
 * that can clash.
 */
static inline bool alias_conflict(paddr_t pa, size_t len, int memtype)
{
	return kvm_alias_conflict(pa, len, memtype) ||
	       (mapped_physical && user_alias_conflict(pa, len, memtype));
}

bool vmar_alias_conflict(paddr_t pa, size_t len, int memtype)
{
	return alias_conflict(pa, len, memtype);
}

bool vmar_vmo_mapped_from(const struct vmo *vmo, uint64_t off)
{
	for (const struct mapping *m = vmo->maps; m; m = m->vmo_next)
		if (m->vmo_off + m->len > off)
			return true;
	return false;
}

/* Alignment that lets a physical mapping use the largest leaves its address and size allow. */
size_t vmar_large_align(paddr_t pa, size_t len)
{
	if (len < NAPOT_SIZE)
		return PAGE_SIZE; /* the smallest large leaf */
	for (int level = 2; level > 0; level--)
		if (IS_ALIGNED(pa, SV39_LEVEL_SIZE(level)) && len >= SV39_LEVEL_SIZE(level))
			return SV39_LEVEL_SIZE(level);
	if (pt_napot() && IS_ALIGNED(pa, NAPOT_SIZE) && len >= NAPOT_SIZE)
		return NAPOT_SIZE;
	return PAGE_SIZE;
}

/* Write the leaves of [off, end) of mapping m's VMO range from the tables in res; cannot fail. */
static void write_leaves(struct aspace *as, struct mapping *m, uint64_t off, uint64_t end,
			 struct pt_reserve *res)
{
	vaddr_t va = m->base + (off - m->vmo_off);

	if (m->vmo->physical) {
		pt_write(as->root, va, m->vmo->phys + off, end - off,
			 leaf_attr(m->perms, m->vmo->cache_policy), true, res);
		return;
	}
	for (off = vmo_next_backed(m->vmo, off, end); off < end;
	     off = vmo_next_backed(m->vmo, off + PAGE_SIZE, end)) {
		paddr_t pa = vmo_backing_page(m->vmo, off);
		pt_write(as->root, m->base + (off - m->vmo_off), pa, PAGE_SIZE, page_attr(m, pa),
			 false, res);
	}
}

/*
 * Write the leaves of a new mapping (still unlinked): every page of a
 * physical VMO, the committed pages of a paged one. The tables are taken
 * first; NO_MEMORY changes nothing.
 */
static zx_status_t populate_new(struct mapping *m)
{
	struct aspace *as = m->owner->as;
	struct vmo *vmo = m->vmo;
	uint64_t end = m->vmo_off + m->len, first = vmo_next_backed(vmo, m->vmo_off, end);
	uint64_t last = first;

	if (!m->perms || first == end)
		return ZX_OK; /* nothing to show: every access faults (vmar_fault) */
	if (vmo->physical)
		last = end - PAGE_SIZE;
	else
		for (uint64_t o = first; o < end; o = vmo_next_backed(vmo, o + PAGE_SIZE, end))
			last = o;
	vaddr_t va = m->base + (first - m->vmo_off);
	size_t span = last + PAGE_SIZE - first;
	paddr_t pa = vmo_backing_page(vmo, first);
	uint64_t attr = vmo->physical ? leaf_attr(m->perms, vmo->cache_policy) : page_attr(m, pa);
	struct pt_reserve res = as->spare; /* used first: it needs no zeroing */

	as->spare = (struct pt_reserve){0};
	if (vmo->physical && span >= SV39_LEVEL_SIZE(1)) {
		size_t had = res.n; /* room for large leaves: idle tables there become reserves */
		pt_idle_evict(as->root, &as->idle, va, span, &res);
		if (res.n != had)
			aspace_flush(as, va, SMP_FLUSH_ALL); /* before any of them is reused */
	}
	if (!pt_map_one_leaf(as->root, va, pa, span, attr, vmo->physical, &res)) {
		if (pt_reserve(as->root, va, vmo->physical ? pa : 0, span, vmo->physical,
			       &user_pt_ops, &res))
			return ZX_ERR_NO_MEMORY; /* pt_reserve freed what it took, the spare too */
		write_leaves(as, m, first, last + PAGE_SIZE, &res);
	}
	keep_spare(as, &res); /* what was not used */
	flush_new_leaves(as, va, span);
	return ZX_OK;
}

zx_status_t vmar_populate(struct mapping *m, uint64_t off, size_t len)
{
	struct aspace *as = m->owner->as;
	uint64_t end = off + len;
	vaddr_t start = m->base + (off - m->vmo_off);
	zx_status_t st = ZX_OK;
	int level;

	if (!m->perms || m->vmo->physical)
		return ZX_OK; /* a physical VMO's mapping shows all of it from the start */
	for (off = vmo_next_backed(m->vmo, off, end); off < end && st == ZX_OK;
	     off = vmo_next_backed(m->vmo, off + PAGE_SIZE, end)) {
		vaddr_t va = m->base + (off - m->vmo_off);
		paddr_t pa = vmo_backing_page(m->vmo, off);
		if (!pt_lookup(as->root, va, &level) &&
		    pt_map(as->root, va, pa, PAGE_SIZE, page_attr(m, pa), false, &user_pt_ops))
			st = ZX_ERR_NO_MEMORY; /* the leaves written so far stay: they are right */
	}
	flush_new_leaves(as, start, len);
	return st;
}

static inline zx_status_t unmap_mappings(struct aspace *as, vaddr_t addr, size_t len);

/* Where a specific map with `overwrite` may go: nothing of a sub-VMAR in the way. */
static zx_status_t clear_for_overwrite(struct vmar *v, vaddr_t addr, size_t len)
{
	for (struct vmar *s = v->subs; s && s->base < addr + len; s = s->next)
		if (sub_overlaps(s, addr, len))
			return ZX_ERR_INVALID_ARGS; /* an overwrite never replaces a sub-VMAR */
	zx_status_t st = unmap_mappings(v->as, addr, len);
	return st == ZX_ERR_NOT_FOUND ? ZX_OK : st; /* NO_MEMORY to split: nothing changed */
}

/*
 * Allocate the record, then populate: a physical VMO's whole range, a
 * paged VMO's committed pages (the rest fault in). Nothing changes on failure.
 */
zx_status_t vmar_map(struct vmar *vmar, const struct map_request *rq, vaddr_t *out)
{
	KLOCK_HELD();
	struct vmo *vmo = rq->vmo;
	zx_status_t st;

	if (vmar->dead)
		return ZX_ERR_BAD_STATE;
	if (vmo->physical &&
	    alias_conflict(vmo->phys + rq->vmo_off, rq->len, vmo_memtype(vmo->cache_policy)))
		return ZX_ERR_BAD_STATE;
	vaddr_t addr = place(vmar, rq->len, &rq->at, rq->overwrite);
	if (!addr)
		return rq->at.specific ? ZX_ERR_ALREADY_EXISTS : ZX_ERR_NO_RESOURCES;
	if (rq->overwrite && (st = clear_for_overwrite(vmar, addr, rq->len)) != ZX_OK)
		return st;
	struct mapping *m = kalloc(sizeof(*m)); /* every field is written just below */
	if (!m)
		return ZX_ERR_NO_MEMORY;
	*m = (struct mapping){.base = addr,
			      .len = rq->len,
			      .vmo = vmo,
			      .vmo_off = rq->vmo_off,
			      .perms = rq->perms,
			      .max_perms = rq->max_perms,
			      .owner = vmar};
	if ((st = populate_new(m)) != ZX_OK) {
		kfree(m, sizeof(*m));
		return st;
	}
	vmo_ref(vmo);
	vmo_link(m);
	insert_sorted(vmar->as, m);
	*out = addr;
	return ZX_OK;
}

/* Clear the leaves of [va, va+len), flush, then give back the tables left empty. */
static inline __attribute__((always_inline)) void unmap_range(struct aspace *as, vaddr_t va,
							      size_t len)
{
	struct pt_reserve freed = {0};

	pt_unmap(as->root, va, len, &freed, &as->idle);
	/*
	 * sfence.vma with an address orders leaf entries only (priv. spec
	 * 4.2.1): tables given back need the whole ASID flushed, on every hart
	 * that runs it, before they are reused.
	 */
	aspace_flush(as, va, freed.head ? SMP_FLUSH_ALL : len);
	keep_spare(as, &freed);
}

static void drop_mapping(struct aspace *as, struct mapping *m)
{
	unmap_range(as, m->base, m->len);
	vmo_unlink(m);
	vmo_unref(m->vmo);
	kfree(m, sizeof(*m));
}

/* Split mapping m at `at` (inside it) into two records; `tail` becomes the upper part. */
static void split_record(struct aspace *as, struct mapping *m, vaddr_t at, struct mapping *tail)
{
	*tail = *m;
	tail->base = at;
	tail->len = m->base + m->len - at;
	tail->vmo_off = m->vmo_off + (at - m->base);
	m->len = at - m->base;
	vmo_ref(m->vmo);
	vmo_link(tail);
	insert_sorted(as, tail);
}

/*
 * Make `addr` and `end` boundaries of both mapping records and leaves: the
 * records and tables needed are all taken before anything changes.
 */
static zx_status_t cut_at(struct aspace *as, vaddr_t addr, vaddr_t end)
{
	vaddr_t at[2] = {addr, end};
	struct mapping *spare[2] = {NULL, NULL};
	struct mapping *inside[2] = {NULL, NULL};

	for (int i = 0; i < 2; i++) {
		struct mapping *m = first_map_above(as, at[i]);
		if (m && m->base < at[i])
			inside[i] = m;
		if (inside[i] && !(spare[i] = kzalloc(sizeof(struct mapping)))) {
			kfree(spare[0], sizeof(struct mapping));
			return ZX_ERR_NO_MEMORY;
		}
	}
	if (!inside[0] && !inside[1])
		return ZX_OK; /* both ends already fall between mappings, so between leaves */
	if (pt_split_at(as->root, at, 2, &user_pt_ops)) {
		kfree(spare[0], sizeof(struct mapping));
		kfree(spare[1], sizeof(struct mapping));
		return ZX_ERR_NO_MEMORY;
	}
	for (int i = 0; i < 2; i++) {
		struct mapping *m = inside[i];
		if (i == 1 && m == inside[0] && m)
			m = m->next; /* the first cut moved the upper part into a new record */
		if (m)
			split_record(as, m, at[i], spare[i]);
	}
	return ZX_OK;
}

/* unmap_mappings past its common case: NOT_FOUND, or what is there cut and dropped. */
static __attribute__((noinline)) zx_status_t unmap_pieces(struct aspace *as, vaddr_t addr,
							  size_t len)
{
	bool found = false, partial = false;
	zx_status_t st;

	for (struct mapping *m = first_map_above(as, addr); m && m->base < addr + len;
	     m = m->next) {
		found = true;
		partial |= addr > m->base || addr + len < m->base + m->len;
	}
	if (!found)
		return ZX_ERR_NOT_FOUND;
	/* Only a mapping cut in pieces needs new records and split leaves. */
	if (partial && (st = cut_at(as, addr, addr + len)) != ZX_OK)
		return st;
	for (struct mapping **pp = &as->maps; *pp;) {
		struct mapping *m = *pp;
		if (overlaps(m, addr, len)) {
			*pp = m->next;
			drop_mapping(as, m);
		} else {
			pp = &m->next;
		}
	}
	return ZX_OK;
}

/* Unmap the mappings in [addr, addr+len), cutting those that reach outside; NOT_FOUND if none. */
static inline __attribute__((always_inline)) zx_status_t unmap_mappings(struct aspace *as,
									vaddr_t addr, size_t len)
{
	/* The common case, one whole mapping: unlink it on the way. */
	for (struct mapping **pp = &as->maps; *pp && (*pp)->base <= addr; pp = &(*pp)->next) {
		struct mapping *m = *pp;
		if (m->base == addr && m->len == len) {
			*pp = m->next;
			drop_mapping(as, m);
			return ZX_OK;
		}
	}
	return unmap_pieces(as, addr, len);
}

zx_status_t vmar_unmap(struct vmar *v, vaddr_t addr, size_t len, bool subs_too)
{
	KLOCK_HELD();
	bool subs = false;

	if (v->dead)
		return ZX_ERR_BAD_STATE;
	for (struct vmar *s = v->subs; s && s->base < addr + len; s = s->next) {
		if (!sub_overlaps(s, addr, len))
			continue;
		if (!subs_too || s->base < addr || s->base + s->size > addr + len)
			return ZX_ERR_INVALID_ARGS;
		subs = true;
	}
	zx_status_t st = unmap_mappings(v->as, addr, len);
	if (st != ZX_OK && !(st == ZX_ERR_NOT_FOUND && subs))
		return st;
	if (!subs)
		return ZX_OK;
	/* The sub-VMARs inside, now empty: unlink them from v, then destroy them. */
	struct vmar *inside = NULL, **tail = &inside;
	for (struct vmar **pp = &v->subs; *pp;) {
		struct vmar *s = *pp;
		if (sub_overlaps(s, addr, len)) {
			*pp = s->next;
			s->next = NULL;
			*tail = s;
			tail = &s->next;
		} else {
			pp = &s->next;
		}
	}
	destroy_subs(inside);
	return ZX_OK;
}

zx_status_t vmar_destroy(struct vmar *v)
{
	if (v->dead)
		return ZX_ERR_BAD_STATE;
	vmar_unmap_all(v);
	if (v->parent) {
		struct vmar **pp = &v->parent->subs;
		while (*pp != v)
			pp = &(*pp)->next;
		*pp = v->next;
		v->parent = v->next = NULL;
		vmar_unref(v); /* the parent's reference; the caller still holds one */
	}
	v->dead = true;
	return ZX_OK;
}

void vmar_unmap_all(struct vmar *v)
{
	struct aspace *as = v->as;
	vaddr_t end = v->base + v->size;

	for (struct mapping **pp = &as->maps; *pp && (*pp)->base < end;) {
		struct mapping *m = *pp;
		if (m->base >= v->base) {
			*pp = m->next;
			drop_mapping(as, m);
		} else {
			pp = &m->next;
		}
	}
	destroy_subs(v->subs);
	v->subs = NULL;
}

/* Check [addr, end) for vmar_protect, mapping by mapping; see its contract. */
static zx_status_t protect_check(struct vmar *v, uint32_t perms, vaddr_t addr, vaddr_t end,
				 bool subs_too)
{
	vaddr_t next = addr;

	for (struct mapping *m = first_map_above(v->as, addr); m && next < end; m = m->next) {
		if (m->base > next)
			return ZX_ERR_NOT_FOUND;
		if (perms & ~m->max_perms)
			return ZX_ERR_ACCESS_DENIED;
		if (m->owner != v && !subs_too)
			return ZX_ERR_INVALID_ARGS;
		if (m->owner != v && (perms & ~m->perms))
			return ZX_ERR_ACCESS_DENIED;
		if (!m->perms && perms)
			return ZX_ERR_NOT_SUPPORTED; /* no tables were reserved for it */
		next = m->base + m->len;
	}
	return next < end ? ZX_ERR_NOT_FOUND : ZX_OK;
}

zx_status_t vmar_protect(struct vmar *v, uint32_t perms, vaddr_t addr, size_t len, bool subs_too)
{
	KLOCK_HELD();
	struct aspace *as = v->as;
	zx_status_t st;

	if (v->dead)
		return ZX_ERR_BAD_STATE;
	if ((st = protect_check(v, perms, addr, addr + len, subs_too)) != ZX_OK ||
	    (st = cut_at(as, addr, addr + len)) != ZX_OK)
		return st;
	for (struct mapping *m = first_map_above(as, addr); m && m->base < addr + len;
	     m = m->next) {
		uint32_t was = m->perms;
		m->perms = perms;
		if (was && perms)
			pt_protect(as->root, m->base, m->len, perm_bits(perms));
		else if (was)
			unmap_range(as, m->base, m->len);
		if (m->vmo->cow && (perms & ZX_VM_PERM_WRITE)) /* shared pages stay read-only */
			protect_shared(as, m, m->vmo_off, m->vmo_off + m->len);
	}
	aspace_flush(as, addr, len);
	return ZX_OK;
}

zx_status_t vmar_each_piece(struct vmar *v, vaddr_t addr, size_t len, vmar_piece_fn fn, void *ctx)
{
	vaddr_t at = addr, end = addr + len;

	for (struct mapping *m = first_map_above(v->as, addr); m && at < end; m = m->next) {
		if (m->base > at)
			return ZX_ERR_NOT_FOUND;
		size_t n = (m->base + m->len < end ? m->base + m->len : end) - at;
		zx_status_t st = fn(m, m->owner != v, m->vmo_off + (at - m->base), n, ctx);
		if (st != ZX_OK)
			return st;
		at += n;
	}
	return at < end ? ZX_ERR_NOT_FOUND : ZX_OK;
}
