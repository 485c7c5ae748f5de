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

static const struct pt_ops user_pt_ops = {pmm_alloc, pmm_free};
static uint32_t asid_bits;
static uint16_t next_asid = 1;

/* Write all-ones to satp.ASID and see which bits stick (priv. spec 4.1.11). */
void aspace_probe_asids(void)
{
	uint64_t satp = csr_read(satp);
	csr_write(satp, satp | (SATP_ASID_MASK << SATP_ASID_SHIFT));
	uint64_t asid = (csr_read(satp) >> SATP_ASID_SHIFT) & SATP_ASID_MASK;
	csr_write(satp, satp);
	sfence_vma_all();
	while (asid & 1) {
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
	paddr_t root = pmm_alloc_zeroed();
	if (!root)
		return ZX_ERR_NO_MEMORY;
	uint64_t *r = paddr_to_kva(root), *k = paddr_to_kva(kvm_root());
	memcpy(&r[256], &k[256], 256 * sizeof(uint64_t));
	as->root = root;
	/* Without enough ASID bits every address space shares ASID 0 and switches flush all. */
	as->asid = asid_bits >= 8 ? next_asid++ & ((1u << asid_bits) - 1) : 0;
	return ZX_OK;
}

void aspace_destroy(struct aspace *as)
{
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

static void vmar_destroy_obj(struct object *o)
{
	struct vmar *v = (struct vmar *)o;
	vmar_unmap_all(v);
	kfree(v, sizeof(*v));
}

static const struct object_ops vmar_ops = {
	.destroy = vmar_destroy_obj,
};

zx_status_t vmar_create_root(struct aspace *as, struct vmar **out)
{
	struct vmar *v = kzalloc(sizeof(*v));
	if (!v)
		return ZX_ERR_NO_MEMORY;
	object_init(&v->obj, ZX_OBJ_TYPE_VMAR, &vmar_ops);
	v->as = as;
	v->base = USER_BASE;
	v->size = USER_END - USER_BASE;
	*out = v;
	return ZX_OK;
}

static bool overlaps(const struct mapping *m, vaddr_t a, size_t len)
{
	return a < m->base + m->len && m->base < a + len;
}

/* Lowest aligned gap of `len` bytes, or 0. */
static vaddr_t find_gap(struct vmar *v, size_t len, size_t align)
{
	vaddr_t a = ALIGN_UP(v->base, align);
	for (struct mapping *m = v->maps; m; m = m->next) {
		if (a + len <= m->base)
			break;
		if (m->base + m->len > a)
			a = ALIGN_UP(m->base + m->len, align);
	}
	return a + len <= v->base + v->size ? a : 0;
}

static void insert_sorted(struct vmar *v, struct mapping *n)
{
	struct mapping **pp = &v->maps;
	while (*pp && (*pp)->base < n->base)
		pp = &(*pp)->next;
	n->next = *pp;
	*pp = n;
}

static uint64_t leaf_attr(uint32_t perms, uint32_t cache_policy)
{
	uint64_t a = PTE_U | PTE_A | PTE_D | pte_memtype(cache_policy);
	if (perms & ZX_VM_PERM_READ)
		a |= PTE_R;
	if (perms & ZX_VM_PERM_WRITE)
		a |= PTE_W;
	if (perms & ZX_VM_PERM_EXECUTE)
		a |= PTE_X;
	return a;
}

/* Prepare (commit pages, reserve tables, allocate the record), then commit the PTEs. */
zx_status_t vmar_map(struct vmar *vmar, uint32_t perms, bool specific, vaddr_t addr, size_t align,
		     struct vmo *vmo, uint64_t vmo_off, size_t len, vaddr_t *out)
{
	struct pt_reserve res;

	if (specific) {
		for (struct mapping *m = vmar->maps; m; m = m->next)
			if (overlaps(m, addr, len))
				return ZX_ERR_ALREADY_EXISTS;
	} else if (!(addr = find_gap(vmar, len, align))) {
		return ZX_ERR_NO_RESOURCES;
	}
	if (vmo_commit(vmo, vmo_off, len) != ZX_OK)
		return ZX_ERR_NO_MEMORY;
	struct mapping *m = kzalloc(sizeof(*m));
	if (!m)
		return ZX_ERR_NO_MEMORY;
	if (pt_reserve(vmar->as->root, addr, 0, len, false, &user_pt_ops, &res)) {
		kfree(m, sizeof(*m));
		return ZX_ERR_NO_MEMORY;
	}
	uint64_t attr = leaf_attr(perms, vmo->cache_policy);
	for (size_t off = 0; off < len; off += PAGE_SIZE)
		pt_write(vmar->as->root, addr + off, vmo_commit_page(vmo, vmo_off + off), PAGE_SIZE,
			 attr, false, &res);
	pt_unreserve(&res, &user_pt_ops); /* nothing left: tables were counted exactly */
	*m = (struct mapping){addr, len, vmo, vmo_off, perms, NULL};
	object_ref(&vmo->obj);
	vmo->mappings++;
	insert_sorted(vmar, m);
	*out = addr;
	return ZX_OK;
}

static void drop_mapping(struct vmar *v, struct mapping *m)
{
	pt_unmap(v->as->root, m->base, m->len);
	aspace_flush(v->as, m->base, m->len);
	m->vmo->mappings--;
	object_unref(&m->vmo->obj);
	kfree(m, sizeof(*m));
}

/* Cut [a, end) out of m, which overlaps it; `spare` becomes the tail piece if m splits. */
static void trim(struct vmar *v, struct mapping *m, vaddr_t a, vaddr_t end, struct mapping *spare)
{
	vaddr_t lo = a > m->base ? a : m->base;
	vaddr_t hi = end < m->base + m->len ? end : m->base + m->len;

	pt_unmap(v->as->root, lo, hi - lo);
	aspace_flush(v->as, lo, hi - lo);
	if (hi < m->base + m->len && lo > m->base) {
		*spare = (struct mapping){hi, m->base + m->len - hi, m->vmo,
					  m->vmo_off + (hi - m->base), m->perms, NULL};
		object_ref(&m->vmo->obj);
		m->vmo->mappings++;
		insert_sorted(v, spare);
		m->len = lo - m->base;
	} else if (lo > m->base) {
		m->len = lo - m->base;
	} else {
		m->vmo_off += hi - m->base;
		m->len -= hi - m->base;
		m->base = hi;
	}
}

zx_status_t vmar_unmap(struct vmar *v, vaddr_t addr, size_t len)
{
	vaddr_t end = addr + len;
	bool found = false;
	struct mapping *spare = kzalloc(sizeof(*spare)); /* for a split; may stay unused */

	if (!spare)
		return ZX_ERR_NO_MEMORY;
	for (struct mapping **pp = &v->maps; *pp;) {
		struct mapping *m = *pp;
		if (!overlaps(m, addr, len)) {
			pp = &m->next;
			continue;
		}
		found = true;
		if (addr <= m->base && end >= m->base + m->len) {
			*pp = m->next;
			drop_mapping(v, m);
			continue;
		}
		bool split = addr > m->base && end < m->base + m->len;
		trim(v, m, addr, end, spare);
		if (split)
			spare = NULL;
		pp = &m->next;
	}
	kfree(spare, sizeof(*spare));
	return found ? ZX_OK : ZX_ERR_NOT_FOUND;
}

void vmar_unmap_all(struct vmar *v)
{
	while (v->maps) {
		struct mapping *m = v->maps;
		v->maps = m->next;
		drop_mapping(v, m);
	}
}
