// The gateway as an operator runs it: the real binary, a configuration file, a gRPC client
// over loopback, and SIGTERM.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gateway/cli/reflection_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"

namespace {

using grpc::health::v1::HealthCheckResponse;
using testing::HasSubstr;

std::string TempPath(const std::string& name) {
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A gateway child process with its stderr captured to a file.
class GatewayProcess {
 public:
  explicit GatewayProcess(const std::string& config_yaml, const std::string& name = "gw") {
    config_path_ = TempPath(name + ".yaml");
    port_path_ = TempPath(name + ".port");
    log_path_ = TempPath(name + ".log");
    std::ofstream(config_path_) << config_yaml;
    std::remove(port_path_.c_str());
    pid_ = fork();
    if (pid_ == 0) {
      FILE* log = std::freopen(log_path_.c_str(), "w", stderr);
      (void)log;
      const std::string config_flag = "--config=" + config_path_;
      const std::string port_flag = "--port_file=" + port_path_;
      execl("gateway/gateway", "gateway", config_flag.c_str(), port_flag.c_str(), nullptr);
      _exit(127);
    }
  }
  ~GatewayProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  // The bound port once serving, or 0 if the process exits or takes longer than 10 s.
  int WaitForPort() {
    for (int i = 0; i < 1000; ++i) {
      int port = 0;
      if (absl::SimpleAtoi(ReadFile(port_path_), &port) && port > 0) return port;
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        exit_status_ = status;
        return 0;
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    return 0;
  }

  // Waits up to `timeout` for exit; returns the exit code, or -1 on timeout or a signal.
  int WaitForExit(absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (!exited_ && absl::Now() < deadline) {
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        exit_status_ = status;
        break;
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    if (!exited_ || !WIFEXITED(exit_status_)) return -1;
    return WEXITSTATUS(exit_status_);
  }

  void Signal(int signal_number) { kill(pid_, signal_number); }
  std::string Log() const { return ReadFile(log_path_); }

 private:
  std::string config_path_, port_path_, log_path_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int exit_status_ = 0;
};

std::string Config() {
  return absl::StrCat(R"yaml(
server:
  listen_address: 127.0.0.1:0
  shutdown_grace: 2s
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

  const absl::Time signalled = absl::Now();
  gateway.Signal(SIGTERM);
  EXPECT_EQ(gateway.WaitForExit(absl::Seconds(10)), 0) << gateway.Log();
  // Bounded by the grace: gRPC waits for open client connections to go away, and an idle
  // C++ client only notices the server's GOAWAY on its 5 s backup poll.
  EXPECT_LT(absl::Now() - signalled, absl::Seconds(2) + absl::Milliseconds(500));
  const std::string log = gateway.Log();
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
