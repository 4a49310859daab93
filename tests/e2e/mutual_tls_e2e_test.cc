// The gRPC port over TLS with a client CA: the real binary, certificates made by the
// openssl tool, real TLS clients. A certificate the CA signed names the caller (its common
// name), whose payouts are its own; no certificate, another CA's, or plaintext gets nothing.
#include <cstdlib>
#include <string>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "tests/e2e/process_fixtures.h"

namespace e2e {
namespace {

using payments::v1::Payout;
using payments::v1::PayoutService;

const OpensslPki kPki{"pki-"};
std::string Pki(const std::string& name) { return kPki.Path(name); }
void MakeCa(const std::string& ca) { kPki.MakeCa(ca); }
void MakeCert(const std::string& ca, const std::string& cn, const std::string& name) {
  kPki.MakeCert(ca, cn, name);
}

std::unique_ptr<PayoutService::Stub> TlsStub(int port, const std::string& client) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ReadFile(Pki("ca.pem"));
  if (!client.empty()) {
    options.pem_private_key = ReadFile(Pki(client + ".key"));
    options.pem_cert_chain = ReadFile(Pki(client + ".pem"));
  }
  return PayoutService::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::SslCredentials(options)));
}

grpc::StatusCode Get(PayoutService::Stub& stub, const std::string& id, Payout* out) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  payments::v1::GetPayoutRequest request;
  request.set_payout_id(id);
  return stub.GetPayout(&context, request, out).error_code();
}

TEST(MutualTlsE2eTest, ClientCertificatesNameCallersAndNothingElseGetsIn) {
  MakeCa("ca");
  MakeCa("rogue-ca");
  MakeCert("ca", "localhost", "server");
  MakeCert("ca", "billing", "billing");
  MakeCert("ca", "payroll", "payroll");
  MakeCert("rogue-ca", "billing", "impostor");

  Sandbox sandbox;
  const std::string account = sandbox.MainAccount();
  GatewayProcessOptions options;
  options.extra_server_yaml =
      absl::StrCat("  tls_cert_file: ", Pki("server.pem"), "\n  tls_key_file: ", Pki("server.key"),
                   "\n  tls_client_ca_file: ", Pki("ca.pem"));
  Gateway gateway("mtls", absl::StrCat("sqlite://", TempPath("mtls/gateway.db")), sandbox, options);
  ASSERT_GT(gateway.port(), 0);

  auto billing = TlsStub(gateway.port(), "billing");
  Payout payout;
  ASSERT_TRUE(CreateUntilAnswered(*billing, PayoutRequest(account, "mtls-1"), &payout).ok());
  Payout read;
  EXPECT_EQ(Get(*billing, payout.id(), &read), grpc::StatusCode::OK);
  EXPECT_EQ(read.id(), payout.id());

  // Another caller's certificate: the payout is not theirs.
  auto payroll = TlsStub(gateway.port(), "payroll");
  EXPECT_EQ(Get(*payroll, payout.id(), &read), grpc::StatusCode::NOT_FOUND);

  // No client certificate, one from another CA (even with the same name), or plaintext: the
  // handshake fails, no call reaches the gateway.
  EXPECT_EQ(Get(*TlsStub(gateway.port(), ""), payout.id(), &read), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Get(*TlsStub(gateway.port(), "impostor"), payout.id(), &read),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Get(gateway.stub(), payout.id(), &read), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(sandbox.MoneyOutsCreated(), 1);
}

}  // namespace
}  // namespace e2e
