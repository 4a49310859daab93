// Credentials rotated under a running gateway: the callers secret file is replaced
// the way Kubernetes replaces a mounted Secret, and the real binary puts the new tokens in use
// without a restart; a malformed replacement is refused and the tokens in use keep working.
#include <cstdio>
#include <string>

#include <grpcpp/client_context.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "tests/e2e/process_fixtures.h"

namespace e2e {
namespace {

constexpr char kOldToken[] = "alpha-token-before-rotation-0001";
constexpr char kNewToken[] = "alpha-token-after-rotation-00002";

void Rotate(const std::string& path, const std::string& text) {
  WriteFile(path + ".new", text);
  ASSERT_EQ(std::rename((path + ".new").c_str(), path.c_str()), 0);
}

// GetPayout of an id nobody has: NOT_FOUND when the token is accepted, else UNAUTHENTICATED.
grpc::StatusCode Call(Gateway& gateway, const std::string& token) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  payments::v1::GetPayoutRequest request;
  request.set_payout_id("monato.payout.00000000-0000-5000-8000-000000000000");
  payments::v1::Payout payout;
  return gateway.stub().GetPayout(&context, request, &payout).error_code();
}

int64_t Reloads(int admin_port, const std::string& outcome) {
  const std::string series =
      absl::StrCat(R"(gateway_credential_reloads_total{credentials="server.callers",outcome=")",
                   outcome, R"("} )");
  for (absl::string_view line : absl::StrSplit(HttpGet(admin_port, "/metrics"), '\n')) {
    int64_t value = 0;
    if (absl::ConsumePrefix(&line, series) && absl::SimpleAtoi(line, &value)) return value;
  }
  return 0;
}

TEST(CredentialReloadE2eTest, RotatedCallerTokensAreUsedWithoutARestartAndABadFileIsRefused) {
  Sandbox sandbox;
  const std::string callers = TempPath("reload-callers");
  WriteFile(callers, absl::StrCat("alpha: ", kOldToken, "\n"));
  GatewayProcessOptions options;
  options.admin = true;
  options.callers_file = callers;
  Gateway gateway("reload", absl::StrCat("sqlite://", TempPath("reload/gateway.db")), sandbox,
                  options);
  EXPECT_EQ(Call(gateway, kOldToken), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Call(gateway, kNewToken), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Call(gateway, ""), grpc::StatusCode::UNAUTHENTICATED);

  Rotate(callers, absl::StrCat("alpha: ", kNewToken, "\n"));
  const absl::Time until = absl::Now() + absl::Seconds(10);
  while (Call(gateway, kNewToken) != grpc::StatusCode::NOT_FOUND && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(Call(gateway, kNewToken), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Call(gateway, kOldToken), grpc::StatusCode::UNAUTHENTICATED);  // retired
  EXPECT_EQ(Reloads(gateway.admin_port(), "ok"), 1);

  // A malformed file (token too short) is refused; the tokens in use stay.
  Rotate(callers, "alpha: short\n");
  const absl::Time refused_by = absl::Now() + absl::Seconds(10);
  while (Reloads(gateway.admin_port(), "refused") == 0 && absl::Now() < refused_by) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(Reloads(gateway.admin_port(), "refused"), 1);
  EXPECT_EQ(Call(gateway, kNewToken), grpc::StatusCode::NOT_FOUND);
  const std::string log = gateway.Log();
  EXPECT_TRUE(absl::StrContains(log, "credentials_reload_failed")) << log;
  // Secrets never reach the log, not even the refused one.
  EXPECT_FALSE(absl::StrContains(log, kOldToken));
  EXPECT_FALSE(absl::StrContains(log, kNewToken));
  EXPECT_FALSE(absl::StrContains(log, "alpha: short"));
}

}  // namespace
}  // namespace e2e
