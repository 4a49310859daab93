// LD_PRELOAD malloc counter for scripts/profile.sh: counts calls to malloc, calloc, realloc,
// the aligned allocators and free (operator new/delete go through them), and rewrites
// $ALLOC_COUNTER_OUT every 200 ms with "allocs frees bytes" and then the count and bytes of
// allocations of 256 B-4 KiB, 4-64 KiB and larger. It calls glibc's __libc_*
// directly (no dlsym, so no bootstrap recursion) and keeps its counters in 64 padded slots
// picked by the stack address, so threads rarely share a cache line. Built by profile.sh.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern void* __libc_malloc(size_t);
extern void* __libc_calloc(size_t, size_t);
extern void* __libc_realloc(void*, size_t);
extern void* __libc_memalign(size_t, size_t);
extern void __libc_free(void*);

// Size classes: < 256 B, < 4 KiB, < 64 KiB, larger (count and bytes of each).
struct slot {
  _Atomic uint64_t allocs, frees, bytes, big_count[3], big_bytes[3];
  char pad[128 - 9 * sizeof(uint64_t)];
};
static struct slot slots[64] __attribute__((aligned(128)));

static inline struct slot* my_slot(void) {
  int local;
  return &slots[((uintptr_t)&local >> 20) & 63];  // thread stacks are >= 1 MiB apart
}
static inline void count_alloc(size_t n) {
  struct slot* s = my_slot();
  atomic_fetch_add_explicit(&s->allocs, 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&s->bytes, n, memory_order_relaxed);
  if (n >= 256) {
    int c = n < 4096 ? 0 : n < 65536 ? 1 : 2;
    atomic_fetch_add_explicit(&s->big_count[c], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->big_bytes[c], n, memory_order_relaxed);
  }
}

void* malloc(size_t n) { count_alloc(n); return __libc_malloc(n); }
void* calloc(size_t a, size_t b) { count_alloc(a * b); return __libc_calloc(a, b); }
void* realloc(void* p, size_t n) { count_alloc(n); return __libc_realloc(p, n); }
void* memalign(size_t a, size_t n) { count_alloc(n); return __libc_memalign(a, n); }
void* aligned_alloc(size_t a, size_t n) { count_alloc(n); return __libc_memalign(a, n); }
int posix_memalign(void** out, size_t a, size_t n) {
  count_alloc(n);
  void* p = __libc_memalign(a, n);
  if (!p) return 12;  // ENOMEM
  *out = p;
  return 0;
}
void free(void* p) {
  if (!p) return;
  atomic_fetch_add_explicit(&my_slot()->frees, 1, memory_order_relaxed);
  __libc_free(p);
}

static void* dumper(void* path) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", (const char*)path);
  for (;;) {
    uint64_t a = 0, f = 0, b = 0, bc[3] = {0}, bb[3] = {0};
    for (int i = 0; i < 64; i++) {
      for (int c = 0; c < 3; c++) {
        bc[c] += atomic_load_explicit(&slots[i].big_count[c], memory_order_relaxed);
        bb[c] += atomic_load_explicit(&slots[i].big_bytes[c], memory_order_relaxed);
      }
      a += atomic_load_explicit(&slots[i].allocs, memory_order_relaxed);
      f += atomic_load_explicit(&slots[i].frees, memory_order_relaxed);
      b += atomic_load_explicit(&slots[i].bytes, memory_order_relaxed);
    }
    FILE* out = fopen(tmp, "w");
    if (out) {
      fprintf(out, "%llu %llu %llu", (unsigned long long)a, (unsigned long long)f,
              (unsigned long long)b);
      for (int c = 0; c < 3; c++)
        fprintf(out, " %llu %llu", (unsigned long long)bc[c], (unsigned long long)bb[c]);
      fprintf(out, "\n");
      fclose(out);
      rename(tmp, (const char*)path);
    }
    usleep(200000);
  }
  return NULL;
}

__attribute__((constructor)) static void start(void) {
  const char* path = getenv("ALLOC_COUNTER_OUT");
  if (!path) return;
  pthread_t thread;
  if (pthread_create(&thread, NULL, dumper, (void*)path) == 0) pthread_detach(thread);
}
