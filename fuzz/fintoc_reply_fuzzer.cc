// Everything the Fintoc adapter reads from a reply: list bodies, transfers (as payouts and as
// returns), accounts, account numbers, Link headers and error bodies (fintoc_errors.cc). Any
// bytes must give a value or an error, never a crash; the request bodies built from caller
// text must stay valid JSON whatever the text.
#include <cstddef>
#include <cstdint>
#include <string>

#include <boost/json.hpp>

#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "providers/common/json_fields.h"
#include "providers/fintoc/fintoc_messages.h"

namespace fintoc = providers::fintoc;

namespace {
void ParseEveryWay(const boost::json::object& object, const payments::v1::Money& money) {
  (void)fintoc::ParseTransfer(object);
  (void)fintoc::CheckReturnable(object, money);
  (void)fintoc::ParseReturn(object, "fintoc.txn.tr_1");
  (void)fintoc::ParseAccount(object);
  (void)fintoc::ParseAccountNumber(object);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const absl::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const int http_status = 200 + data[0] * 2;
  payments::v1::Money money;
  money.set_amount_minor(static_cast<int64_t>(data[0]) * 997);
  money.set_currency(data[0] % 2 ? "MXN" : "CLP");

  if (auto items = fintoc::ParseList(body); items.ok()) {
    for (const auto& item : *items) ParseEveryWay(item, money);
  }
  if (auto object = providers::ParseJsonObject(body); object.ok()) ParseEveryWay(*object, money);
  (void)fintoc::ErrorFromReply(http_status, body);
  (void)fintoc::ParseLinkNext(body);
  (void)fintoc::MapTransferStatus(body);

  if (!fuzz::IsUtf8(body)) return 0;
  providers::PayoutOrder order;
  order.request.set_description(std::string(body));
  order.request.set_numeric_reference(data[0] * 39215u);
  *order.request.mutable_amount() = money;
  order.request.mutable_counterparty()->set_holder_name(std::string(body));
  order.request.mutable_counterparty()->set_clabe(std::string(body));
  FUZZ_CHECK(providers::ParseJsonObject(fintoc::TransferBody(order, body)).ok());
  FUZZ_CHECK(providers::ParseJsonObject(fintoc::ReturnBody(body)).ok());
  google::protobuf::Map<std::string, std::string> metadata;
  metadata[std::string(body)] = std::string(body);
  FUZZ_CHECK(providers::ParseJsonObject(fintoc::AccountNumberBody(body, body, metadata)).ok());
  return 0;
}
