#include <string.h>
#include <zircon/errors.h>
#include <zircon/syscalls/object.h>

#include "kernel.h"
#include "mm/heap.h"
#include "mm/kvm.h"
#include "mm/pmm.h"
#include "mm/vmo.h"
#include "syscall/uaccess.h"

#define PER_PAGE (PAGE_SIZE / sizeof(paddr_t))

static void vmo_destroy(struct object *o)
{
	struct vmo *v = (struct vmo *)o;

	if (v->dir) {
		paddr_t *dir = paddr_to_kva(v->dir);
		for (size_t i = 0; i < PER_PAGE; i++) {
			if (!dir[i])
				continue;
			paddr_t *leaf = paddr_to_kva(dir[i]);
			for (size_t j = 0; j < PER_PAGE; j++)
				if (leaf[j])
					pmm_free(leaf[j]);
			pmm_free(dir[i]);
		}
		pmm_free(v->dir);
	}
	kfree(v, sizeof(*v));
}

static zx_status_t vmo_get_info(struct object *o, zx_rights_t rights, uint32_t topic, void *buf,
				size_t len, size_t *actual)
{
	struct vmo *v = (struct vmo *)o;
	zx_info_vmo_t info = {
		.koid = o->koid,
		.size_bytes = v->size,
		.num_mappings = v->mappings,
		.share_count = 1,
		.flags = ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE,
		.committed_bytes = v->committed << PAGE_SHIFT,
		.populated_bytes = v->committed << PAGE_SHIFT,
		.handle_rights = rights,
		.cache_policy = v->cache_policy,
	};

	if (topic != ZX_INFO_VMO)
		return ZX_ERR_NOT_SUPPORTED;
	if (len < sizeof(info))
		return ZX_ERR_BUFFER_TOO_SMALL;
	memcpy(info.name, o->name, sizeof(info.name));
	memcpy(buf, &info, sizeof(info));
	*actual = sizeof(info);
	return ZX_OK;
}

static const struct object_ops vmo_ops = {
	.destroy = vmo_destroy,
	.user_signals = ZX_USER_SIGNAL_ALL,
	.get_info = vmo_get_info,
};

zx_status_t vmo_create(uint64_t size, struct vmo **out)
{
	if (size > VMO_MAX_SIZE)
		return ZX_ERR_OUT_OF_RANGE;
	struct vmo *v = kzalloc(sizeof(*v));
	if (!v)
		return ZX_ERR_NO_MEMORY;
	object_init(&v->obj, ZX_OBJ_TYPE_VMO, &vmo_ops);
	v->size = ALIGN_UP(size, PAGE_SIZE);
	v->cache_policy = ZX_CACHE_POLICY_CACHED;
	*out = v;
	return ZX_OK;
}

/* The slot holding the page address for `offset`, allocating tables; NULL if no memory. */
static paddr_t *page_slot(struct vmo *v, uint64_t offset)
{
	uint64_t idx = offset >> PAGE_SHIFT;

	if (!v->dir && !(v->dir = pmm_alloc_zeroed()))
		return NULL;
	paddr_t *dir = paddr_to_kva(v->dir);
	paddr_t *d = &dir[idx / PER_PAGE];
	if (!*d && !(*d = pmm_alloc_zeroed()))
		return NULL;
	return &((paddr_t *)paddr_to_kva(*d))[idx % PER_PAGE];
}

paddr_t vmo_commit_page(struct vmo *v, uint64_t offset)
{
	paddr_t *slot = page_slot(v, offset);

	if (!slot)
		return 0;
	if (!*slot && (*slot = pmm_alloc_zeroed()))
		v->committed++;
	return *slot;
}

zx_status_t vmo_commit(struct vmo *v, uint64_t offset, uint64_t len)
{
	for (uint64_t off = ALIGN_DOWN(offset, PAGE_SIZE); off < offset + len; off += PAGE_SIZE)
		if (!vmo_commit_page(v, off))
			return ZX_ERR_NO_MEMORY;
	return ZX_OK;
}

/* Walk [offset, offset+len) a page piece at a time; `copy` moves one piece. */
static zx_status_t vmo_copy(struct vmo *v, uint64_t offset, size_t len,
			    zx_status_t (*copy)(void *page, size_t done, size_t n, void *ctx),
			    void *ctx)
{
	if (offset > v->size || len > v->size - offset)
		return ZX_ERR_OUT_OF_RANGE;
	for (size_t done = 0; done < len;) {
		uint64_t off = offset + done;
		size_t n = PAGE_SIZE - (off & PAGE_MASK);
		if (n > len - done)
			n = len - done;
		paddr_t pa = vmo_commit_page(v, off);
		if (!pa)
			return ZX_ERR_NO_MEMORY;
		zx_status_t st = copy((uint8_t *)paddr_to_kva(pa) + (off & PAGE_MASK), done, n, ctx);
		if (st != ZX_OK)
			return st;
		done += n;
	}
	return ZX_OK;
}

static zx_status_t to_user(void *page, size_t done, size_t n, void *ctx)
{
	return copy_to_user(*(vaddr_t *)ctx + done, page, n);
}

static zx_status_t from_user(void *page, size_t done, size_t n, void *ctx)
{
	return copy_from_user(page, *(vaddr_t *)ctx + done, n);
}

static zx_status_t from_kernel(void *page, size_t done, size_t n, void *ctx)
{
	memcpy(page, (const uint8_t *)ctx + done, n);
	return ZX_OK;
}

zx_status_t vmo_read_user(struct vmo *v, vaddr_t uptr, uint64_t offset, size_t len)
{
	return vmo_copy(v, offset, len, to_user, &uptr);
}

zx_status_t vmo_write_user(struct vmo *v, vaddr_t uptr, uint64_t offset, size_t len)
{
	return vmo_copy(v, offset, len, from_user, &uptr);
}

zx_status_t vmo_write_kernel(struct vmo *v, const void *src, uint64_t offset, size_t len)
{
	return vmo_copy(v, offset, len, from_kernel, (void *)src);
}
