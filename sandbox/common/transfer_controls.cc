#include "sandbox/common/transfer_controls.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "sandbox/common/clabe.h"
#include "sandbox/common/json_util.h"

namespace sandbox {
namespace {

ServerReply ErrorReply(int status, const std::string& why) {
  return ServerReply::Json(status, ToJson(boost::json::object{{"error", why}}));
}

bool IsReference(absl::string_view text) {
  if (text.empty() || text.size() > 7) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Reads the optional fields shared by orphan and alter; false with `why` on a bad one.
bool ReadFields(const boost::json::object& body, TransferEdit* edit, std::string* why) {
  if (const boost::json::value* amount = JsonMember(body, "amount")) {
    if (!amount->is_int64() || amount->as_int64() < 1) {
      *why = "amount must be a JSON integer of centavos, at least 1";
      return false;
    }
    edit->amount = amount->as_int64();
  }
  for (auto [name, field] : {std::pair<const char*, absl::optional<std::string>*>{
                                 "counterparty_clabe", &edit->counterparty_clabe},
                             {"reference", &edit->reference},
                             {"status", &edit->status}}) {
    const boost::json::value* value = JsonMember(body, name);
    if (value == nullptr) continue;
    if (!value->is_string()) {
      *why = std::string(name) + " must be a string";
      return false;
    }
    *field = std::string(AsView(value->as_string()));
  }
  if (edit->counterparty_clabe && !IsValidClabe(*edit->counterparty_clabe)) {
    *why = "counterparty_clabe must be 18 digits with a valid check digit";
    return false;
  }
  if (edit->reference && !IsReference(*edit->reference)) {
    *why = "reference must be 1 to 7 digits";
    return false;
  }
  return true;
}

ServerReply OutcomeReply(int success_status, ControlOutcome outcome) {
  if (!outcome.error.empty()) return ErrorReply(outcome.http_status, outcome.error);
  return ServerReply::Json(success_status, ToJson(outcome.row));
}

}  // namespace

absl::optional<ServerReply> TransferControlReply(const ServerRequest& request,
                                                 const TransferControls& controls) {
  if (!absl::StartsWith(request.path, "/_sandbox/transfers/")) return absl::nullopt;
  const absl::string_view op = absl::string_view(request.path).substr(20);
  if (op != "orphan" && op != "drop" && op != "alter" && op != "duplicate") return absl::nullopt;
  if (request.method != "POST") return ErrorReply(405, "POST only");
  const absl::optional<boost::json::object> body = ParseJsonObject(request.body);
  if (!body) return ErrorReply(400, "expected a JSON object");
  TransferEdit edit;
  std::string why;
  if (!ReadFields(*body, &edit, &why)) return ErrorReply(400, why);
  if (op == "orphan") {
    if (!edit.amount || !edit.counterparty_clabe || !edit.reference) {
      return ErrorReply(400, "amount, counterparty_clabe and reference are required");
    }
    OrphanOrder order;
    order.amount = *edit.amount;
    order.counterparty_clabe = *edit.counterparty_clabe;
    order.reference = *edit.reference;
    order.status = edit.status.value_or("");
    for (auto [name, field] :
         {std::pair<const char*, std::string*>{"account_id", &order.account_id},
          {"description", &order.description}}) {
      const boost::json::value* value = JsonMember(*body, name);
      if (value == nullptr) continue;
      if (!value->is_string()) return ErrorReply(400, std::string(name) + " must be a string");
      *field = std::string(AsView(value->as_string()));
    }
    return OutcomeReply(201, controls.orphan(order));
  }
  const boost::json::string* id = JsonString(*body, "id");
  if (id == nullptr || id->empty()) return ErrorReply(400, "id (the provider's id) is required");
  const std::string transfer_id(AsView(*id));
  if (op == "drop") return OutcomeReply(200, controls.drop(transfer_id));
  if (op == "duplicate") return OutcomeReply(201, controls.duplicate(transfer_id));
  if (!edit.amount && !edit.counterparty_clabe && !edit.reference && !edit.status) {
    return ErrorReply(400,
                      "nothing to change: give amount, counterparty_clabe, reference or status");
  }
  return OutcomeReply(200, controls.alter(transfer_id, edit));
}

}  // namespace sandbox
