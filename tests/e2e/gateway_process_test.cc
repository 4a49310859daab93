// The gateway as an operator runs it: the real binary, a configuration file, a gRPC client
// over loopback, and SIGTERM.
#include <signal.h>

#include <cstdlib>
#include <string>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gateway/cli/reflection_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "tests/e2e/child_process.h"

namespace e2e {
namespace {

using grpc::health::v1::HealthCheckResponse;
using testing::HasSubstr;

// The gateway binary with a configuration file and a port file.
class GatewayProcess {
 public:
  explicit GatewayProcess(const std::string& config_yaml, const std::string& name = "gw")
      : port_path_(TempPath(name + ".port")) {
    WriteFile(TempPath(name + ".yaml"), config_yaml);
    std::remove(port_path_.c_str());
    process_ = std::make_unique<ChildProcess>(
        "gateway/gateway",
        std::vector<std::string>{"--config=" + TempPath(name + ".yaml"),
                                 "--port_file=" + port_path_},
        TempPath(name + ".log"));
  }

  // The bound port once serving, or 0 if the process exits first.
  int WaitForPort() {
    int port = 0;
    if (!process_->WaitForFile(port_path_)) return 0;
    return absl::SimpleAtoi(absl::StripAsciiWhitespace(ReadFile(port_path_)), &port) ? port : 0;
  }
  int WaitForExit(absl::Duration timeout) { return process_->WaitForExit(timeout); }
  void Signal(int signal_number) { process_->Signal(signal_number); }
  std::string Log() const { return process_->Log(); }

 private:
  std::string port_path_;
  std::unique_ptr<ChildProcess> process_;
};

// The time of the first log line with `event`, from the gateway's own "ts" (its clock, so the
// test's scheduling and the process's start and exit do not count); InfinitePast if absent.
absl::Time EventTime(const std::string& log, const std::string& event) {
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (!absl::StrContains(line, absl::StrCat("\"event\":\"", event, "\""))) continue;
    const size_t at = line.find("\"ts\":\"");
    if (at == absl::string_view::npos) continue;
    const absl::string_view ts = line.substr(at + 6, line.find('"', at + 6) - (at + 6));
    absl::Time time;
    std::string error;
    if (absl::ParseTime("%Y-%m-%dT%H:%M:%E3SZ", std::string(ts), &time, &error)) return time;
  }
  return absl::InfinitePast();
}

std::string Config() {
  return absl::StrCat(R"yaml(
server:
  listen_address: 127.0.0.1:0
  shutdown_grace: 1s
log:
  level: info
store:
  url: sqlite://)yaml",
                      std::getenv("TEST_TMPDIR"), "/process-test/gateway.db\n");
}

TEST(GatewayProcessTest, ServesHealthAndReflectionThenExitsCleanlyOnSigterm) {
  GatewayProcess gateway(Config());
  const int port = gateway.WaitForPort();
  ASSERT_GT(port, 0) << gateway.Log();
  auto channel =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  HealthCheckResponse response;
  ASSERT_TRUE(health->Check(&context, {}, &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  auto services = gateway::ListServicesByReflection(channel);
  ASSERT_TRUE(services.ok()) << services.status();
  EXPECT_THAT(*services,
              testing::IsSupersetOf({"payments.v1.PayoutService", "payments.v1.AccountService"}));

  gateway.Signal(SIGTERM);
  EXPECT_EQ(gateway.WaitForExit(absl::Seconds(30)), 0) << gateway.Log();
  const std::string log = gateway.Log();
  // Bounded by the 1 s grace although this client's connection is still open: unbounded, gRPC
  // would wait for it to go away, and an idle C++ client only notices the server's GOAWAY on
  // its 5 s backup poll. Measured by the gateway's own clock, with room for a loaded machine.
  const absl::Time started = EventTime(log, "shutdown_started");
  const absl::Time completed = EventTime(log, "shutdown_complete");
  ASSERT_NE(started, absl::InfinitePast()) << log;
  ASSERT_NE(completed, absl::InfinitePast()) << log;
  EXPECT_GE(completed - started, absl::ZeroDuration());
  EXPECT_LT(completed - started, absl::Milliseconds(3500)) << log;
  EXPECT_THAT(log, HasSubstr("\"event\":\"serving\""));
  EXPECT_THAT(log, HasSubstr("\"signal\":\"SIGTERM\""));
  EXPECT_THAT(log, HasSubstr("\"event\":\"shutdown_complete\""));
}

TEST(GatewayProcessTest, BadConfigurationStopsWithANamedError) {
  GatewayProcess gateway("server:\n  listen_adress: 127.0.0.1:0\n", "bad");
  EXPECT_EQ(gateway.WaitForPort(), 0);
  EXPECT_EQ(gateway.WaitForExit(absl::Seconds(10)), 2);
  EXPECT_THAT(gateway.Log(), HasSubstr("server.listen_adress"));
}

TEST(GatewayProcessTest, EnvironmentOverridesReachTheProcess) {
  setenv("GATEWAY_LOG__LEVEL", "loud", 1);
  GatewayProcess gateway(Config(), "env");
  EXPECT_EQ(gateway.WaitForPort(), 0);
  EXPECT_EQ(gateway.WaitForExit(absl::Seconds(10)), 2);
  EXPECT_THAT(gateway.Log(), HasSubstr("log.level"));
  unsetenv("GATEWAY_LOG__LEVEL");
}

}  // namespace
}  // namespace e2e
