// Tells ThreadSanitizer about absl::Mutex, absl::CondVar, absl::Notification,
// absl::BlockingCounter and absl::Status's shared error state in Debian's uninstrumented abseil
// (docs/testing.md, "Sanitizers").
//
// Linked into every binary of --config=tsan (.bazelrc: --custom_malloc points here). Each
// out-of-line member the project calls is redirected with `-Wl,--wrap=<mangled name>` (see
// BUILD.bazel): the linker sends our objects' calls to `__wrap_<name>`, which calls the real
// member (`__real_<name>`, in libabsl_synchronization.so) between the same annotations an
// instrumented abseil makes (absl/synchronization/mutex.cc, ABSL_TSAN_MUTEX_*):
//   - lock:   __tsan_mutex_pre_lock, real call, __tsan_mutex_post_lock (acquire);
//   - unlock: __tsan_mutex_pre_unlock (release, before the real unlock so that the next
//     owner's acquire always sees it), real call, __tsan_mutex_post_unlock.
// Between pre and post TSan ignores this thread's memory accesses: abseil evaluates
// Condition functions (our instrumented code) inside Lock/Unlock/Await, on the locking or
// the unlocking thread, at moments TSan cannot place; an instrumented abseil ignores them too.
// The inline constructor in mutex.h already calls __tsan_mutex_create(not_static) under
// -fsanitize=thread; the destructor wrapper pairs it with __tsan_mutex_destroy.
#include <sanitizer/tsan_interface.h>

#include <atomic>
#include <cstdint>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

#if !defined(__SANITIZE_THREAD__)
#error "bazel/tsan:absl_sync_annotations belongs only in --config=tsan builds"
#endif

namespace {

using absl::BlockingCounter;
using absl::Condition;
using absl::CondVar;
using absl::Duration;
using absl::Mutex;
using absl::Notification;
using absl::Time;

constexpr unsigned kWrite = 0;
constexpr unsigned kRead = __tsan_mutex_read_lock;

// Await and CondVar::Wait release the Mutex in the mode the caller holds it. abseil's own
// test (mutex.cc, kMuWriter = 0x0008) reads its one state word; the caller holds the lock,
// so the writer bit cannot change under us.
static_assert(sizeof(Mutex) == sizeof(std::atomic<intptr_t>), "absl::Mutex is one word");
constexpr intptr_t kMuWriter = 0x0008;
unsigned HeldMode(const Mutex* mu) {
  const auto* word = reinterpret_cast<const std::atomic<intptr_t>*>(mu);
  return (word->load(std::memory_order_relaxed) & kMuWriter) != 0 ? kWrite : kRead;
}

// Notification::HasBeenNotified() is inline: an instrumented acquire load of
// `notified_yet_`, the member after `mutex_`. TSan's acquire load takes the clock released on
// that same address, so Notify releases there and every waiter acquires there.
static_assert(sizeof(Notification) == 2 * sizeof(Mutex), "Notification is {Mutex, atomic<bool>}");
void* NotifiedFlag(const Notification* n) {
  return const_cast<char*>(reinterpret_cast<const char*>(n) + sizeof(Mutex));
}

// The caller's lock of `mu` is given up and taken again inside the real call.
template <typename Call>
auto UnlockedDuring(Mutex* mu, Call call) {
  const unsigned mode = HeldMode(mu);
  __tsan_mutex_pre_unlock(mu, mode);
  auto result = call();
  __tsan_mutex_post_unlock(mu, mode);
  __tsan_mutex_pre_lock(mu, mode);
  __tsan_mutex_post_lock(mu, mode, 0);
  return result;
}

template <typename Call>
auto Locking(Mutex* mu, unsigned mode, Call call) {
  __tsan_mutex_pre_lock(mu, mode);
  auto result = call();
  __tsan_mutex_post_lock(mu, mode, 0);
  return result;
}

template <typename Call>
void Unlocking(Mutex* mu, unsigned mode, Call call) {
  __tsan_mutex_pre_unlock(mu, mode);
  call();
  __tsan_mutex_post_unlock(mu, mode);
}

bool TryLocking(Mutex* mu, unsigned mode, bool (*real)(Mutex*)) {
  __tsan_mutex_pre_lock(mu, mode | __tsan_mutex_try_lock);
  const bool locked = real(mu);
  __tsan_mutex_post_lock(
      mu, mode | __tsan_mutex_try_lock | (locked ? 0 : __tsan_mutex_try_lock_failed), 0);
  return locked;
}

}  // namespace

// Mangled names of absl::debian3::<member>, as `nm -D --defined-only
// libabsl_synchronization.so` lists them (Debian's abseil 20220623 uses the inline namespace
// "debian3"); BUILD.bazel wraps the same list. A `void` member goes through a lambda
// returning 0 so that one helper serves both shapes.
#define REAL(x) __real_##x
#define WRAP(x) __wrap_##x
#define DECLARE(ret, name, ...)           \
  extern "C" ret REAL(name)(__VA_ARGS__); \
  extern "C" ret WRAP(name)(__VA_ARGS__)

#define M_LOCK _ZN4absl7debian35Mutex4LockEv
#define M_UNLOCK _ZN4absl7debian35Mutex6UnlockEv
#define M_TRYLOCK _ZN4absl7debian35Mutex7TryLockEv
#define M_RLOCK _ZN4absl7debian35Mutex10ReaderLockEv
#define M_RUNLOCK _ZN4absl7debian35Mutex12ReaderUnlockEv
#define M_RTRYLOCK _ZN4absl7debian35Mutex13ReaderTryLockEv
#define M_LOCKWHEN _ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE
#define M_LOCKWHEN_TO _ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE
#define M_LOCKWHEN_DL _ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE
#define M_RLOCKWHEN _ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE
#define M_RLOCKWHEN_TO \
  _ZN4absl7debian35Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE
#define M_RLOCKWHEN_DL \
  _ZN4absl7debian35Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE
#define M_AWAIT _ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE
#define M_AWAIT_TO _ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE
#define M_AWAIT_DL _ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE
#define M_DTOR1 _ZN4absl7debian35MutexD1Ev
#define M_DTOR2 _ZN4absl7debian35MutexD2Ev
#define CV_WAIT _ZN4absl7debian37CondVar4WaitEPNS0_5MutexE
#define CV_WAIT_TO _ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE
#define CV_WAIT_DL _ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE
#define N_NOTIFY _ZN4absl7debian312Notification6NotifyEv
#define N_WAIT _ZNK4absl7debian312Notification19WaitForNotificationEv
#define N_WAIT_TO _ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE
#define N_WAIT_DL _ZNK4absl7debian312Notification31WaitForNotificationWithDeadlineENS0_4TimeE
#define BC_DECREMENT _ZN4absl7debian315BlockingCounter14DecrementCountEv
#define BC_WAIT _ZN4absl7debian315BlockingCounter4WaitEv
#define S_UNREF _ZN4absl7debian36Status15UnrefNonInlinedEm

#define EXPAND_DECLARE(ret, name, ...) DECLARE(ret, name, __VA_ARGS__)
#define EXPAND_REAL(name) REAL(name)
#define EXPAND_WRAP(name) WRAP(name)
#define W(name) EXPAND_WRAP(name)
#define R(name) EXPAND_REAL(name)

EXPAND_DECLARE(void, M_LOCK, Mutex*);
EXPAND_DECLARE(void, M_UNLOCK, Mutex*);
EXPAND_DECLARE(bool, M_TRYLOCK, Mutex*);
EXPAND_DECLARE(void, M_RLOCK, Mutex*);
EXPAND_DECLARE(void, M_RUNLOCK, Mutex*);
EXPAND_DECLARE(bool, M_RTRYLOCK, Mutex*);
EXPAND_DECLARE(void, M_LOCKWHEN, Mutex*, const Condition&);
EXPAND_DECLARE(bool, M_LOCKWHEN_TO, Mutex*, const Condition&, Duration);
EXPAND_DECLARE(bool, M_LOCKWHEN_DL, Mutex*, const Condition&, Time);
EXPAND_DECLARE(void, M_RLOCKWHEN, Mutex*, const Condition&);
EXPAND_DECLARE(bool, M_RLOCKWHEN_TO, Mutex*, const Condition&, Duration);
EXPAND_DECLARE(bool, M_RLOCKWHEN_DL, Mutex*, const Condition&, Time);
EXPAND_DECLARE(void, M_AWAIT, Mutex*, const Condition&);
EXPAND_DECLARE(bool, M_AWAIT_TO, Mutex*, const Condition&, Duration);
EXPAND_DECLARE(bool, M_AWAIT_DL, Mutex*, const Condition&, Time);
EXPAND_DECLARE(void, M_DTOR1, Mutex*);
EXPAND_DECLARE(void, M_DTOR2, Mutex*);
EXPAND_DECLARE(void, CV_WAIT, CondVar*, Mutex*);
EXPAND_DECLARE(bool, CV_WAIT_TO, CondVar*, Mutex*, Duration);
EXPAND_DECLARE(bool, CV_WAIT_DL, CondVar*, Mutex*, Time);
EXPAND_DECLARE(void, N_NOTIFY, Notification*);
EXPAND_DECLARE(void, N_WAIT, const Notification*);
EXPAND_DECLARE(bool, N_WAIT_TO, const Notification*, Duration);
EXPAND_DECLARE(bool, N_WAIT_DL, const Notification*, Time);
EXPAND_DECLARE(bool, BC_DECREMENT, BlockingCounter*);
EXPAND_DECLARE(void, BC_WAIT, BlockingCounter*);
EXPAND_DECLARE(void, S_UNREF, uintptr_t);

// --- Mutex: lock and unlock --------------------------------------------------------------
void W(M_LOCK)(Mutex* mu) {
  Locking(mu, kWrite, [&] { return R(M_LOCK)(mu), 0; });
}
void W(M_UNLOCK)(Mutex* mu) {
  Unlocking(mu, kWrite, [&] { R(M_UNLOCK)(mu); });
}
bool W(M_TRYLOCK)(Mutex* mu) { return TryLocking(mu, kWrite, &R(M_TRYLOCK)); }
void W(M_RLOCK)(Mutex* mu) {
  Locking(mu, kRead, [&] { return R(M_RLOCK)(mu), 0; });
}
void W(M_RUNLOCK)(Mutex* mu) {
  Unlocking(mu, kRead, [&] { R(M_RUNLOCK)(mu); });
}
bool W(M_RTRYLOCK)(Mutex* mu) { return TryLocking(mu, kRead, &R(M_RTRYLOCK)); }

// --- Mutex: lock once a condition holds (the lock is held on return, even on timeout) ----
void W(M_LOCKWHEN)(Mutex* mu, const Condition& c) {
  Locking(mu, kWrite, [&] { return R(M_LOCKWHEN)(mu, c), 0; });
}
bool W(M_LOCKWHEN_TO)(Mutex* mu, const Condition& c, Duration d) {
  return Locking(mu, kWrite, [&] { return R(M_LOCKWHEN_TO)(mu, c, d); });
}
bool W(M_LOCKWHEN_DL)(Mutex* mu, const Condition& c, Time t) {
  return Locking(mu, kWrite, [&] { return R(M_LOCKWHEN_DL)(mu, c, t); });
}
void W(M_RLOCKWHEN)(Mutex* mu, const Condition& c) {
  Locking(mu, kRead, [&] { return R(M_RLOCKWHEN)(mu, c), 0; });
}
bool W(M_RLOCKWHEN_TO)(Mutex* mu, const Condition& c, Duration d) {
  return Locking(mu, kRead, [&] { return R(M_RLOCKWHEN_TO)(mu, c, d); });
}
bool W(M_RLOCKWHEN_DL)(Mutex* mu, const Condition& c, Time t) {
  return Locking(mu, kRead, [&] { return R(M_RLOCKWHEN_DL)(mu, c, t); });
}

// --- Mutex: wait for a condition while holding the lock (released meanwhile) -------------
void W(M_AWAIT)(Mutex* mu, const Condition& c) {
  UnlockedDuring(mu, [&] { return R(M_AWAIT)(mu, c), 0; });
}
bool W(M_AWAIT_TO)(Mutex* mu, const Condition& c, Duration d) {
  return UnlockedDuring(mu, [&] { return R(M_AWAIT_TO)(mu, c, d); });
}
bool W(M_AWAIT_DL)(Mutex* mu, const Condition& c, Time t) {
  return UnlockedDuring(mu, [&] { return R(M_AWAIT_DL)(mu, c, t); });
}

// --- Mutex: destruction (pairs the header's __tsan_mutex_create) -------------------------
void W(M_DTOR1)(Mutex* mu) {
  __tsan_mutex_destroy(mu, __tsan_mutex_not_static);
  R(M_DTOR1)(mu);
}
void W(M_DTOR2)(Mutex* mu) {
  __tsan_mutex_destroy(mu, __tsan_mutex_not_static);
  R(M_DTOR2)(mu);
}

// --- CondVar: a wait gives up `mu` and takes it again. Signal/SignalAll need nothing: the
// woken thread's order with the signaller comes from re-acquiring `mu`, as with pthreads.
void W(CV_WAIT)(CondVar* cv, Mutex* mu) {
  UnlockedDuring(mu, [&] { return R(CV_WAIT)(cv, mu), 0; });
}
bool W(CV_WAIT_TO)(CondVar* cv, Mutex* mu, Duration d) {
  return UnlockedDuring(mu, [&] { return R(CV_WAIT_TO)(cv, mu, d); });
}
bool W(CV_WAIT_DL)(CondVar* cv, Mutex* mu, Time t) {
  return UnlockedDuring(mu, [&] { return R(CV_WAIT_DL)(cv, mu, t); });
}

// --- Notification: Notify happens before every wait that returns notified --------------
void W(N_NOTIFY)(Notification* n) {
  __tsan_release(NotifiedFlag(n));
  R(N_NOTIFY)(n);
}
void W(N_WAIT)(const Notification* n) {
  R(N_WAIT)(n);
  __tsan_acquire(NotifiedFlag(n));
}
bool W(N_WAIT_TO)(const Notification* n, Duration d) {
  const bool notified = R(N_WAIT_TO)(n, d);
  if (notified) __tsan_acquire(NotifiedFlag(n));
  return notified;
}
bool W(N_WAIT_DL)(const Notification* n, Time t) {
  const bool notified = R(N_WAIT_DL)(n, t);
  if (notified) __tsan_acquire(NotifiedFlag(n));
  return notified;
}

// --- BlockingCounter: every DecrementCount happens before Wait returns -------------------
bool W(BC_DECREMENT)(BlockingCounter* bc) {
  __tsan_release(bc);
  return R(BC_DECREMENT)(bc);
}
void W(BC_WAIT)(BlockingCounter* bc) {
  R(BC_WAIT)(bc);
  __tsan_acquire(bc);
}

// --- Status: an error Status shares a heap StatusRep whose reference count is dropped in
// libabsl_status.so (Status::UnrefNonInlined, an acq_rel decrement, then `delete`). Like any
// reference count, every drop must happen before the delete: each drop releases on the rep
// and acquires what earlier drops released, so the one that deletes has seen them all. (The
// acquire on a drop that does not delete orders it after earlier drops too; this can only
// hide a race between two threads that both dropped copies of the same error.)
void W(S_UNREF)(uintptr_t rep) {
  void* shared = reinterpret_cast<void*>(rep);  // inside the StatusRep; freed with it
  __tsan_release(shared);
  __tsan_acquire(shared);
  R(S_UNREF)(rep);
}
