#include "bench/gateway_load.h"

#include <atomic>
#include <iostream>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "proto/payments/v1/account_service.grpc.pb.h"

namespace bench {
namespace {

void Authorize(grpc::ClientContext& context, const std::string& token) {
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
}

}  // namespace

std::vector<PayoutTarget> ResolveTargets(const std::string& addr, const std::string& token,
                                         const std::string& mix) {
  auto accounts = payments::v1::AccountService::NewStub(
      grpc::CreateChannel(addr, grpc::InsecureChannelCredentials()));
  std::vector<PayoutTarget> targets;
  for (absl::string_view entry : absl::StrSplit(mix, ',', absl::SkipEmpty())) {
    std::vector<std::string> parts = absl::StrSplit(entry, ':');
    PayoutTarget target;
    target.provider = parts[0];
    if (parts.size() > 1 && !absl::SimpleAtoi(parts[1], &target.weight)) target.weight = 1;
    if (target.weight <= 0) continue;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    Authorize(context, token);
    payments::v1::ListAccountsRequest request;
    request.set_provider(target.provider == "fintoc" ? payments::v1::PROVIDER_FINTOC
                                                     : payments::v1::PROVIDER_MONATO);
    payments::v1::ListAccountsResponse response;
    grpc::Status status = accounts->ListAccounts(&context, request, &response);
    if (!status.ok() || response.accounts().empty()) {
      std::cerr << "loadgen: no " << target.provider << " account: " << status.error_message()
                << "\n";
      continue;
    }
    target.source_account_id = response.accounts(0).id();
    targets.push_back(target);
  }
  return targets;
}

GatewayLoad::GatewayLoad(const std::vector<std::string>& addrs, std::string token, int channels,
                         std::vector<PayoutTarget> targets)
    : token_(std::move(token)),
      targets_(std::move(targets)),
      run_id_(absl::StrCat(absl::ToUnixMicros(absl::Now()))) {
  for (const PayoutTarget& target : targets_) {
    for (int i = 0; i < target.weight; ++i) wheel_.push_back(&target);
  }
  for (int i = 0; i < std::max(1, channels); ++i) {
    for (const std::string& addr : addrs) {
      grpc::ChannelArguments args;
      args.SetInt("bench.channel", i);  // distinct arguments: distinct connections
      stubs_.push_back(payments::v1::PayoutService::NewStub(
          grpc::CreateCustomChannel(addr, grpc::InsecureChannelCredentials(), args)));
    }
  }
}

StartCall GatewayLoad::Starter() {
  return [this](int64_t n, CallFinished finished) { Start(n, std::move(finished)); };
}

void GatewayLoad::Start(int64_t n, CallFinished finished) {
  struct Call {
    grpc::ClientContext context;
    payments::v1::CreatePayoutRequest request;
    payments::v1::Payout reply;
  };
  static std::atomic<int64_t> keys{0};  // unique across the GatewayLoads of one process
  const PayoutTarget& target = *wheel_[n % wheel_.size()];
  auto call = std::make_shared<Call>();
  call->request.set_idempotency_key(absl::StrCat("load-", run_id_, "-", keys++));
  call->request.set_source_account_id(target.source_account_id);
  call->request.mutable_amount()->set_amount_minor(100 + n % 900);
  call->request.mutable_amount()->set_currency("MXN");
  call->request.mutable_counterparty()->set_clabe("014180655091438298");
  call->request.mutable_counterparty()->set_holder_name("Jon Snow");
  call->request.set_description("Carga");
  call->request.set_numeric_reference(1 + n % 9'999'999);
  call->context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  Authorize(call->context, token_);
  // Its own counter, not n: with a 1:1 mix, n % stubs would send each provider to one replica.
  stubs_[next_stub_++ % stubs_.size()]->async()->CreatePayout(
      &call->context, &call->request, &call->reply,
      [call, finished = std::move(finished), provider = target.provider](grpc::Status status) {
        finished(provider, status.error_code());
      });
}

}  // namespace bench
