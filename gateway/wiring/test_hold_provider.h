// TEST ONLY, off unless GATEWAY_TEST_HOLD_DIR is set: lets the crash tests
// (tests/e2e/crash_recovery_test.cc) stop a payout at an exact moment and SIGKILL the process
// there. A CreatePayout waits, without blocking any thread the gateway uses,
//   - at "before_send" (its claim is durable, nothing has gone to the provider) while the file
//     $GATEWAY_TEST_HOLD_DIR/before_send exists, and
//   - at "after_reply" (the provider's answer has been read, nothing of it is stored yet) while
//     $GATEWAY_TEST_HOLD_DIR/after_reply exists,
// and logs {"event":"test_hold","point":...} once per payout held. It sits between the
// adapter and the core in the wiring (never in the engine), and changes nothing else.
#ifndef GATEWAY_WIRING_TEST_HOLD_PROVIDER_H_
#define GATEWAY_WIRING_TEST_HOLD_PROVIDER_H_

#include <memory>
#include <string>

#include "providers/provider.h"

namespace gateway {

// `adapter` unchanged when GATEWAY_TEST_HOLD_DIR is unset or empty (production), else wrapped.
std::unique_ptr<providers::Provider> WithTestHolds(std::unique_ptr<providers::Provider> adapter);

}  // namespace gateway

#endif  // GATEWAY_WIRING_TEST_HOLD_PROVIDER_H_
