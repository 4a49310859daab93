// TEST ONLY: the registration of the in-memory provider "test_only" (PROVIDER_TEST_ONLY).
#ifndef TESTS_THIRD_PROVIDER_TEST_ONLY_REGISTRATION_H_
#define TESTS_THIRD_PROVIDER_TEST_ONLY_REGISTRATION_H_

#include "tests/third_provider/in_memory_provider.h"

namespace third_provider {

// The header its webhooks carry their token in, and the adapter built last (for assertions).
inline constexpr char kTokenHeader[] = "x-test-only-token";
InMemoryProvider* LastBuiltAdapter();

}  // namespace third_provider

#endif  // TESTS_THIRD_PROVIDER_TEST_ONLY_REGISTRATION_H_
