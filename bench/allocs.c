/* SPDX-License-Identifier: MIT */
/*
 * Heap-allocation counter, loaded with LD_PRELOAD into bench-lib and
 * bench-sys. It counts every malloc, calloc, realloc and aligned allocation
 * and forwards it to glibc's own allocator (the __libc_* entry points, which
 * avoid the dlsym recursion of RTLD_NEXT lookups). The benchmark reads the
 * count through bench_alloc_count(), found with dlsym.
 */
#include <stddef.h>
#include <errno.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t align, size_t size);
extern void __libc_free(void *p);

unsigned long long bench_alloc_count(void);
void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);
void *memalign(size_t align, size_t size);
void *aligned_alloc(size_t align, size_t size);
int posix_memalign(void **out, size_t align, size_t size);

static unsigned long long allocs;

static void count(void)
{
	__atomic_fetch_add(&allocs, 1, __ATOMIC_RELAXED);
}

unsigned long long bench_alloc_count(void)
{
	return __atomic_load_n(&allocs, __ATOMIC_RELAXED);
}

void *malloc(size_t size)
{
	count();
	return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	count();
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	count();
	return __libc_realloc(p, size);
}

void free(void *p)
{
	__libc_free(p);
}

void *memalign(size_t align, size_t size)
{
	count();
	return __libc_memalign(align, size);
}

void *aligned_alloc(size_t align, size_t size)
{
	count();
	return __libc_memalign(align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	count();
	p = __libc_memalign(align, size);
	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}
