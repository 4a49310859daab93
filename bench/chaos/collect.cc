#include "bench/chaos/collect.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "proto/payments/v1/payout_service.grpc.pb.h"
#include "vocabulary/status_macros.h"

namespace chaos {
namespace {

std::string Str(const boost::json::object& object, const char* key) {
  const boost::json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
}

int64_t Int(const boost::json::object& object, const char* key) {
  const boost::json::value* value = object.if_contains(key);
  return value != nullptr && value->is_int64() ? value->as_int64() : 0;
}

absl::StatusOr<boost::json::object> GetJson(Environment& env, const std::string& provider,
                                            const std::string& path) {
  ASSIGN_OR_RETURN(std::string body, env.Control(provider, "GET", path));
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) {
    return absl::DataLossError(absl::StrCat(provider, " ", path, " is not a JSON object"));
  }
  return std::move(value.as_object());
}

// The operations that pay a payout out: what the checker compares with gateway payouts.
bool IsPayoutOperation(const std::string& operation) {
  return operation == "money_out" || operation == "transfer";
}

std::vector<SendRow> Rows(const std::string& provider, const boost::json::array& rows,
                          const char* key_field) {
  std::vector<SendRow> out;
  for (const boost::json::value& value : rows) {
    if (!value.is_object()) continue;
    const boost::json::object& row = value.as_object();
    SendRow send{provider,
                 Str(row, "operation"),
                 Str(row, key_field),
                 Int(row, "sends"),
                 Int(row, "created"),
                 Int(row, "replays"),
                 Int(row, "replies_lost"),
                 Int(row, "unjustified")};
    if (IsPayoutOperation(send.operation)) out.push_back(std::move(send));
  }
  return out;
}

}  // namespace

absl::Status CollectSandbox(Environment& env, CheckInput* input) {
  // Read in pages: a long run's lists are larger than one reply may be.
  constexpr size_t kPage = 1000;
  for (const std::string provider : {"monato", "fintoc"}) {
    for (size_t offset = 0;; offset += kPage) {
      ASSIGN_OR_RETURN(
          boost::json::object page,
          GetJson(env, provider,
                  absl::StrCat("/_sandbox/transfers?offset=", offset, "&limit=", kPage)));
      const boost::json::value* list = page.if_contains("transfers");
      if (list == nullptr || !list->is_array()) return absl::DataLossError("no transfers array");
      for (const boost::json::value& value : list->as_array()) {
        const boost::json::object& row = value.as_object();
        const bool payout = provider == "monato" ? Str(row, "operation") == "money_out"
                                                 : Str(row, "direction") == "outbound";
        if (!payout) continue;
        input->transfers.push_back({provider, Str(row, "id"), Str(row, "idempotency_key"),
                                    Int(row, "amount"), Str(row, "counterparty_clabe"),
                                    Str(row, "reference"), Str(row, "status")});
      }
      if (list->as_array().size() < kPage) break;
    }
    for (size_t offset = 0;; offset += kPage) {
      ASSIGN_OR_RETURN(boost::json::object page,
                       GetJson(env, provider,
                               absl::StrCat("/_sandbox/sends?offset=", offset, "&limit=", kPage)));
      const boost::json::value* keys = page.if_contains("keys");
      const boost::json::value* bodies = page.if_contains("bodies");
      if (keys == nullptr || !keys->is_array() || bodies == nullptr || !bodies->is_array()) {
        return absl::DataLossError("no keys/bodies arrays in /_sandbox/sends");
      }
      for (SendRow& row : Rows(provider, keys->as_array(), "key")) {
        input->key_sends.push_back(std::move(row));
      }
      for (SendRow& row : Rows(provider, bodies->as_array(), "body_sha256")) {
        input->body_sends.push_back(std::move(row));
      }
      if (keys->as_array().size() < kPage && bodies->as_array().size() < kPage) break;
    }
  }
  return absl::OkStatus();
}

absl::Status CollectGateway(const std::string& address, CheckInput* input) {
  auto stub = payments::v1::PayoutService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  std::string token;
  do {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    payments::v1::ListPayoutsRequest request;
    request.set_page_size(100);
    request.set_page_token(token);
    payments::v1::ListPayoutsResponse response;
    const grpc::Status status = stub->ListPayouts(&context, request, &response);
    if (!status.ok()) {
      return absl::UnavailableError(absl::StrCat("ListPayouts: ", status.error_message()));
    }
    for (const payments::v1::Payout& payout : response.payouts()) {
      const std::string status_name(
          absl::StripPrefix(payments::v1::PayoutStatus_Name(payout.status()), "PAYOUT_STATUS_"));
      input->payouts.push_back(
          {payout.id(), payout.provider() == payments::v1::PROVIDER_FINTOC ? "fintoc" : "monato",
           payout.idempotency_key(), payout.amount().amount_minor(), payout.counterparty().clabe(),
           absl::StrCat(payout.numeric_reference()), status_name, payout.provider_payout_id(),
           payout.status_reason()});
    }
    token = response.next_page_token();
  } while (!token.empty());
  return absl::OkStatus();
}

}  // namespace chaos
