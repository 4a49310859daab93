#include "idempotency/memory_store.h"

#include "idempotency/testing/store_contract.h"

namespace idempotency {
namespace {

INSTANTIATE_TEST_SUITE_P(Memory, StoreContractTest,
                         testing::Values(StoreFactory{
                             "memory",
                             [] { return std::unique_ptr<GatewayStore>(new MemoryStore()); }}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace idempotency
