#include "gateway/policy/policy_book.h"

#include <set>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "vocabulary/status_macros.h"

namespace gateway {
namespace {

using idempotency::LimitRule;

// A policies file is a few kilobytes; anything far larger is a mistake (or not a policies file).
constexpr size_t kMaxFileBytes = 1 << 20;
// Errors quote at most this much of a value, so a huge or hostile value is never echoed whole.
constexpr size_t kMaxShown = 40;
constexpr size_t kMaxCallerLength = 128;
constexpr size_t kMaxPatternLength = 128;
constexpr size_t kMaxLimitNameLength = 64;

// A value as an error may show it: printable ASCII, cut short, in quotes.
std::string Shown(absl::string_view value) {
  std::string out;
  for (char c : value.substr(0, kMaxShown)) {
    const unsigned char u = static_cast<unsigned char>(c);
    out.push_back(u >= 0x20 && u < 0x7f ? c : '?');
  }
  return absl::StrCat("\"", out, value.size() > kMaxShown ? "...\"" : "\"");
}

absl::Status Refused(absl::string_view where, absl::string_view key, absl::string_view problem) {
  std::string message = "policies file:";
  if (!where.empty()) absl::StrAppend(&message, " ", where);
  if (!key.empty()) absl::StrAppend(&message, where.empty() ? " " : ", ", key);
  absl::StrAppend(&message, " ", problem);
  return absl::InvalidArgumentError(message);
}

// Values are plain ASCII on one line: ids, names and numbers, nothing to hide a second line or a
// look-alike character in.
absl::Status CheckCharacters(absl::string_view where, absl::string_view key,
                             absl::string_view text) {
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '\r' || c == '\n') return Refused(where, key, "must be on one line (CR or LF found)");
    if (u >= 0x80) return Refused(where, key, "must be ASCII (a non-ASCII character found)");
    if (u < 0x20 || u == 0x7f) return Refused(where, key, "has a control character");
  }
  return absl::OkStatus();
}

// The keys of a mapping: each known, each once, each plain text.
absl::Status CheckKeys(const YAML::Node& node, absl::string_view where, absl::string_view what,
                       const std::set<std::string>& known) {
  if (!node.IsMap()) return Refused(where, what, "must be a mapping");
  std::set<std::string> seen;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) return Refused(where, what, "has a key that is not text");
    const std::string key = entry.first.Scalar();
    RETURN_IF_ERROR(CheckCharacters(where, "a key", key));
    if (known.count(key) == 0) {
      return Refused(where, absl::StrCat("key ", Shown(key)),
                     absl::StrCat("is unknown (known: ", absl::StrJoin(known, ", "), ")"));
    }
    if (!seen.insert(key).second) return Refused(where, key, "appears twice");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Text(const YAML::Node& node, absl::string_view where,
                                 absl::string_view key) {
  if (node.IsNull()) return Refused(where, key, "has no value");
  if (!node.IsScalar()) return Refused(where, key, "must be a single value");
  RETURN_IF_ERROR(CheckCharacters(where, key, node.Scalar()));
  return node.Scalar();
}

// A whole number of minor units written as a plain YAML integer: no sign, no decimals, no
// exponent, no quotes, within int64.
absl::StatusOr<int64_t> Amount(const YAML::Node& node, absl::string_view where,
                               absl::string_view key) {
  ASSIGN_OR_RETURN(std::string text, Text(node, where, key));
  const bool digits = !text.empty() && text.size() <= 19 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  int64_t value = 0;
  if (node.Tag() != "?" || !digits || !absl::SimpleAtoi(text, &value)) {
    return Refused(where, key,
                   absl::StrCat("must be a whole number from 0 to 9223372036854775807 "
                                "(minor units, e.g. centavos), got ",
                                Shown(text)));
  }
  return value;
}

absl::StatusOr<std::vector<std::string>> TextList(const YAML::Node& node, absl::string_view where,
                                                  absl::string_view key) {
  if (!node.IsSequence()) return Refused(where, key, "must be a list");
  std::vector<std::string> out;
  for (size_t i = 0; i < node.size(); ++i) {
    ASSIGN_OR_RETURN(std::string text, Text(node[i], where, absl::StrCat(key, "[", i, "]")));
    out.push_back(std::move(text));
  }
  return out;
}

absl::Status CheckCaller(absl::string_view where, const std::string& caller) {
  if (caller.empty()) return Refused(where, "caller", "must not be empty");
  if (caller.size() > kMaxCallerLength) {
    return Refused(where, "caller",
                   absl::StrCat("is longer than ", kMaxCallerLength, " characters"));
  }
  if (absl::ascii_isspace(caller.front()) || absl::ascii_isspace(caller.back())) {
    return Refused(where, "caller", "must not start or end with a space");
  }
  return absl::OkStatus();
}

bool OnlyCharacters(absl::string_view text, absl::string_view extra) {
  for (char c : text) {
    if (!absl::ascii_isalnum(c) && extra.find(c) == absl::string_view::npos) return false;
  }
  return true;
}

absl::Status ReadOperations(const YAML::Node& node, absl::string_view where, CallerPolicy* policy) {
  ASSIGN_OR_RETURN(auto names, TextList(node, where, "operations"));
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string key = absl::StrCat("operations[", i, "]");
    PolicyOperation operation;
    if (!ParsePolicyOperation(names[i], &operation)) {
      return Refused(where, key,
                     absl::StrCat(Shown(names[i]),
                                  " is no operation (known: payouts, refunds, accounts, "
                                  "counterparties, reconciliation)"));
    }
    if (policy->Allows(operation)) return Refused(where, key, "repeats an operation");
    policy->operations.push_back(operation);
  }
  return absl::OkStatus();
}

absl::Status ReadSourceAccounts(const YAML::Node& node, absl::string_view where,
                                CallerPolicy* policy) {
  ASSIGN_OR_RETURN(auto patterns, TextList(node, where, "source_accounts"));
  std::set<std::string> seen;
  for (size_t i = 0; i < patterns.size(); ++i) {
    const std::string key = absl::StrCat("source_accounts[", i, "]");
    const std::string& pattern = patterns[i];
    if (pattern.empty() || pattern.size() > kMaxPatternLength || !OnlyCharacters(pattern, "._*-")) {
      return Refused(where, key,
                     absl::StrCat("must be an account id or a pattern of 1 to ", kMaxPatternLength,
                                  " characters of A-Z a-z 0-9 . _ - and *, got ", Shown(pattern)));
    }
    if (!seen.insert(pattern).second) return Refused(where, key, "repeats an account");
    policy->source_accounts.push_back(pattern);
  }
  return absl::OkStatus();
}

absl::StatusOr<LimitRule> ReadLimit(const YAML::Node& node, absl::string_view where,
                                    const std::string& key, const std::string& currency) {
  RETURN_IF_ERROR(
      CheckKeys(node, where, key, {"name", "per", "window", "max_amount_minor", "max_count"}));
  LimitRule rule;
  rule.currency = currency;
  for (const char* required : {"name", "per", "window"}) {
    if (!node[required]) return Refused(where, absl::StrCat(key, ".", required), "is missing");
  }
  ASSIGN_OR_RETURN(rule.name, Text(node["name"], where, key + ".name"));
  if (rule.name.empty() || rule.name.size() > kMaxLimitNameLength ||
      !OnlyCharacters(rule.name, "._-")) {
    return Refused(where, key + ".name",
                   absl::StrCat("must be 1 to ", kMaxLimitNameLength,
                                " characters of A-Z a-z 0-9 . _ -, got ", Shown(rule.name)));
  }
  const std::string named = absl::StrCat(key, " (\"", rule.name, "\")");
  ASSIGN_OR_RETURN(std::string per, Text(node["per"], where, named + ".per"));
  if (!ParseLimitScope(per, &rule.scope)) {
    return Refused(where, named + ".per",
                   absl::StrCat("must be caller, source_account or destination, got ", Shown(per)));
  }
  ASSIGN_OR_RETURN(std::string window, Text(node["window"], where, named + ".window"));
  if (!absl::ParseDuration(window, &rule.window) || rule.window <= absl::ZeroDuration() ||
      rule.window > idempotency::kLongestLimitWindow) {
    return Refused(where, named + ".window",
                   absl::StrCat("must be a duration more than 0 and at most ",
                                absl::FormatDuration(idempotency::kLongestLimitWindow),
                                " (31 days), like \"24h\" or \"30m\", got ", Shown(window)));
  }
  if (node["max_amount_minor"]) {
    ASSIGN_OR_RETURN(rule.max_amount_minor,
                     Amount(node["max_amount_minor"], where, named + ".max_amount_minor"));
  }
  if (node["max_count"]) {
    ASSIGN_OR_RETURN(rule.max_count, Amount(node["max_count"], where, named + ".max_count"));
  }
  if (rule.max_amount_minor < 0 && rule.max_count < 0) {
    return Refused(where, named, "needs max_amount_minor, max_count or both");
  }
  return rule;
}

absl::StatusOr<CallerPolicy> ReadPolicy(const YAML::Node& node, size_t index) {
  const std::string position = absl::StrCat("policies[", index, "]");
  if (!node.IsMap()) return Refused(position, "", "must be a mapping (caller:, operations:, ...)");
  if (!node["caller"]) return Refused(position, "caller", "is missing");
  CallerPolicy policy;
  ASSIGN_OR_RETURN(policy.caller, Text(node["caller"], position, "caller"));
  RETURN_IF_ERROR(CheckCaller(position, policy.caller));
  const std::string where = absl::StrCat("caller \"", policy.caller, "\" (", position, ")");
  RETURN_IF_ERROR(CheckKeys(
      node, where, "the policy",
      {"caller", "operations", "source_accounts", "currency", "max_per_payout_minor", "limits"}));
  if (node["operations"]) RETURN_IF_ERROR(ReadOperations(node["operations"], where, &policy));
  if (node["source_accounts"]) {
    RETURN_IF_ERROR(ReadSourceAccounts(node["source_accounts"], where, &policy));
  }
  if (node["currency"]) {
    ASSIGN_OR_RETURN(policy.currency, Text(node["currency"], where, "currency"));
    if (policy.currency != "MXN") {
      return Refused(where, "currency",
                     absl::StrCat("must be MXN (the only currency the gateway pays in), got ",
                                  Shown(policy.currency)));
    }
  }
  if (node["max_per_payout_minor"]) {
    ASSIGN_OR_RETURN(policy.max_per_payout_minor,
                     Amount(node["max_per_payout_minor"], where, "max_per_payout_minor"));
  }
  if (const YAML::Node limits = node["limits"]) {
    if (!limits.IsSequence()) return Refused(where, "limits", "must be a list");
    std::set<std::string> names;
    for (size_t i = 0; i < limits.size(); ++i) {
      ASSIGN_OR_RETURN(LimitRule rule, ReadLimit(limits[i], where, absl::StrCat("limits[", i, "]"),
                                                 policy.currency));
      if (!names.insert(rule.name).second) {
        return Refused(where, absl::StrCat("limits[", i, "].name"),
                       absl::StrCat("repeats the limit name \"", rule.name, "\""));
      }
      policy.limits.push_back(std::move(rule));
    }
  }
  return policy;
}

using PolicyMap = std::map<std::string, std::shared_ptr<const CallerPolicy>>;

absl::StatusOr<PolicyMap> Parse(const std::string& text) {
  if (text.size() > kMaxFileBytes) {
    return Refused("", "", absl::StrCat("is larger than ", kMaxFileBytes, " bytes"));
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Refused("", "", absl::StrCat("is not valid YAML: ", e.what()));
  }
  if (root.IsNull() || (root.IsMap() && !root["policies"])) {
    return Refused("", "",
                   "names no caller (a file with no policies would refuse every caller; remove "
                   "server.policies_file to run without policies)");
  }
  RETURN_IF_ERROR(CheckKeys(root, "", "the top level", {"policies"}));
  const YAML::Node list = root["policies"];
  if (!list.IsSequence()) return Refused("", "policies", "must be a list of policies");
  if (list.size() == 0) {
    return Refused("", "policies",
                   "is empty (a file with no policies would refuse every caller; remove "
                   "server.policies_file to run without policies)");
  }
  PolicyMap policies;
  for (size_t i = 0; i < list.size(); ++i) {
    ASSIGN_OR_RETURN(CallerPolicy policy, ReadPolicy(list[i], i));
    const std::string caller = policy.caller;
    if (policies.count(caller) != 0) {
      return Refused(absl::StrCat("caller \"", caller, "\" (policies[", i, "])"), "",
                     "has a policy already (one policy per caller)");
    }
    policies[caller] = std::make_shared<const CallerPolicy>(std::move(policy));
  }
  return policies;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PolicyBook>> PolicyBook::FromYaml(const std::string& text) {
  // yaml-cpp throws when a node has another shape than the one read; that is the file's mistake.
  absl::StatusOr<PolicyMap> policies;
  try {
    policies = Parse(text);
  } catch (const YAML::Exception& e) {
    return Refused("", "", absl::StrCat("has a value of the wrong shape: ", e.what()));
  }
  if (!policies.ok()) return policies.status();
  auto book = std::make_unique<PolicyBook>();
  {
    absl::MutexLock lock(&book->mu_);
    book->enabled_ = true;
    book->policies_ = *std::move(policies);
  }
  return book;
}

bool PolicyBook::enabled() const {
  absl::MutexLock lock(&mu_);
  return enabled_;
}

std::shared_ptr<const CallerPolicy> PolicyBook::For(const std::string& caller) const {
  absl::MutexLock lock(&mu_);
  if (!enabled_) return nullptr;
  auto it = policies_.find(caller);
  if (it != policies_.end()) return it->second;
  auto nothing = std::make_shared<CallerPolicy>();
  nothing->caller = caller;
  return nothing;
}

std::vector<std::shared_ptr<const CallerPolicy>> PolicyBook::All() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::shared_ptr<const CallerPolicy>> all;
  for (const auto& [caller, policy] : policies_) all.push_back(policy);
  return all;
}

void PolicyBook::Replace(PolicyBook&& other) {
  bool enabled;
  PolicyMap policies;
  {
    absl::MutexLock lock(&other.mu_);
    enabled = other.enabled_;
    policies = std::move(other.policies_);
    other.policies_.clear();
    other.enabled_ = false;
  }
  absl::MutexLock lock(&mu_);
  enabled_ = enabled;
  policies_ = std::move(policies);
}

}  // namespace gateway
