#include "idempotency/memory_store.h"

#include "idempotency/testing/limit_contract.h"
#include "idempotency/testing/store_contract.h"

namespace idempotency {
namespace {

const StoreFactory kMemory{"memory",
                           [] { return std::unique_ptr<GatewayStore>(new MemoryStore()); }};

INSTANTIATE_TEST_SUITE_P(Memory, StoreContractTest, testing::Values(kMemory),
                         [](const auto& info) { return info.param.name; });
INSTANTIATE_TEST_SUITE_P(Memory, LimitContractTest, testing::Values(kMemory),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace idempotency
