#include "gateway/config/config.h"

#include <unistd.h>  // environ

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gateway/config/transport_checks.h"
#include "providers/registration/provider_registration.h"
#include "vocabulary/status_macros.h"

namespace gateway {
namespace {

constexpr absl::string_view kEnvPrefix = "GATEWAY_";

absl::Status UnknownKeys(const YAML::Node& node, const std::string& where,
                         const std::set<std::string>& known) {
  if (!node.IsMap()) return absl::InvalidArgumentError(absl::StrCat(where, " must be a mapping"));
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    if (known.count(key) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown key \"", where.empty() ? "" : where + ".", key,
                       "\" (known: ", absl::StrJoin(known, ", "), ")"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Scalar(const YAML::Node& node, const std::string& path) {
  if (!node.IsScalar()) return absl::InvalidArgumentError(absl::StrCat(path, " must be a value"));
  return node.as<std::string>();
}

absl::Status ReadDuration(const YAML::Node& node, const std::string& path, absl::Duration* out) {
  if (!node) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto text, Scalar(node, path));
  if (!absl::ParseDuration(text, out) || *out < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " must be a duration like \"10s\" or \"500ms\", got \"", text, "\""));
  }
  return absl::OkStatus();
}

absl::Status ReadBool(const YAML::Node& node, const std::string& path, bool* out) {
  if (!node) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto text, Scalar(node, path));
  if (!absl::SimpleAtob(text, out)) {
    return absl::InvalidArgumentError(absl::StrCat(path, " must be true or false"));
  }
  return absl::OkStatus();
}

// A count of at least 1.
absl::Status ReadPositive(const YAML::Node& node, const std::string& path, int* out) {
  if (!node) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto text, Scalar(node, path));
  if (!absl::SimpleAtoi(text, out) || *out < 1) {
    return absl::InvalidArgumentError(absl::StrCat(path, " must be a whole number of at least 1"));
  }
  return absl::OkStatus();
}

absl::Status ReadString(const YAML::Node& node, const std::string& path, std::string* out) {
  if (!node) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto text, Scalar(node, path));
  *out = text;
  return absl::OkStatus();
}

absl::StatusOr<SecretRef> ReadSecretRef(const YAML::Node& node, const std::string& path) {
  RETURN_IF_ERROR(UnknownKeys(node, path, {"file", "env"}));
  SecretRef ref;
  RETURN_IF_ERROR(ReadString(node["file"], path + ".file", &ref.file));
  RETURN_IF_ERROR(ReadString(node["env"], path + ".env", &ref.env));
  if (ref.file.empty() == ref.env.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path,
                     " needs exactly one of \"file\" or \"env\" (secrets are never "
                     "written in the configuration itself)"));
  }
  return ref;
}

// The scheduled reconciliation (docs/reconciliation.md#settings); interval 0: off.
absl::Status ReadReconciliation(const YAML::Node& node, ReconciliationSettings* out) {
  RETURN_IF_ERROR(
      UnknownKeys(node, "reconciliation",
                  {"interval", "lookback", "stuck_after", "grace", "max_records_per_slice"}));
  for (const auto& [key, target] :
       {std::pair<const char*, absl::Duration*>{"interval", &out->interval},
        {"lookback", &out->lookback},
        {"stuck_after", &out->stuck_after},
        {"grace", &out->grace}}) {
    RETURN_IF_ERROR(ReadDuration(node[key], absl::StrCat("reconciliation.", key), target));
  }
  RETURN_IF_ERROR(ReadPositive(node["max_records_per_slice"],
                               "reconciliation.max_records_per_slice",
                               &out->max_records_per_slice));
  // One run covers at most what ReconciliationService.Reconcile accepts.
  if (out->lookback <= absl::ZeroDuration() || out->lookback > absl::Hours(24 * 31)) {
    return absl::InvalidArgumentError(
        "reconciliation.lookback must be more than 0 and at most 744h");
  }
  if (out->stuck_after <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("reconciliation.stuck_after must be more than 0");
  }
  return absl::OkStatus();
}

absl::StatusOr<ProviderSettings> ReadProvider(const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) return absl::InvalidArgumentError(absl::StrCat(path, " must be a mapping"));
  ProviderSettings settings;
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    const std::string key_path = absl::StrCat(path, ".", key);
    const YAML::Node& value = entry.second;
    absl::Status status;
    if (key == "enabled") {
      ASSIGN_OR_RETURN(auto text, Scalar(value, key_path));
      if (!absl::SimpleAtob(text, &settings.enabled)) {
        return absl::InvalidArgumentError(absl::StrCat(key_path, " must be true or false"));
      }
    } else if (key == "base_url") {
      status = ReadString(value, key_path, &settings.base_url);
    } else if (key == "ca_file") {
      status = ReadString(value, key_path, &settings.ca_file);
    } else if (key == "timeout") {
      status = ReadDuration(value, key_path, &settings.timeout);
    } else if (key == "max_payout_minor") {
      ASSIGN_OR_RETURN(auto text, Scalar(value, key_path));
      if (!absl::SimpleAtoi(text, &settings.max_payout_minor) || settings.max_payout_minor < 0) {
        return absl::InvalidArgumentError(absl::StrCat(key_path, " must be a whole number >= 0"));
      }
    } else if (key == "credentials") {
      if (!value.IsMap()) {
        return absl::InvalidArgumentError(absl::StrCat(key_path, " must be a mapping"));
      }
      for (const auto& credential : value) {
        const std::string name = credential.first.as<std::string>();
        ASSIGN_OR_RETURN(auto ref,
                         ReadSecretRef(credential.second, absl::StrCat(key_path, ".", name)));
        settings.credentials[name] = std::move(ref);
      }
    } else {
      status = ReadString(value, key_path, &settings.options[key]);
    }
    if (!status.ok()) return status;
  }
  return settings;
}

absl::Status ReadWebhooks(const YAML::Node& node, WebhookSettings* out) {
  std::set<std::string> known = {"enabled",    "listen_address",  "tls_cert_file", "tls_key_file",
                                 "public_url", "max_connections", "header_timeout"};
  // Each linked provider with a webhook route names the key listing its secrets.
  std::map<std::string, std::string> provider_by_key;
  for (const providers::ProviderRegistration* linked : providers::LinkedProviders()) {
    if (!linked->webhook.has_value()) continue;
    known.insert(linked->webhook->secrets_key);
    provider_by_key[linked->webhook->secrets_key] = linked->name;
  }
  RETURN_IF_ERROR(UnknownKeys(node, "webhooks", known));
  if (const YAML::Node enabled = node["enabled"]) {
    ASSIGN_OR_RETURN(auto text, Scalar(enabled, "webhooks.enabled"));
    if (!absl::SimpleAtob(text, &out->enabled)) {
      return absl::InvalidArgumentError("webhooks.enabled must be true or false");
    }
  }
  for (const auto& [key, target] :
       {std::pair<const char*, std::string*>{"listen_address", &out->listen_address},
        {"tls_cert_file", &out->tls_cert_file},
        {"tls_key_file", &out->tls_key_file},
        {"public_url", &out->public_url}}) {
    RETURN_IF_ERROR(ReadString(node[key], absl::StrCat("webhooks.", key), target));
  }
  RETURN_IF_ERROR(
      ReadPositive(node["max_connections"], "webhooks.max_connections", &out->max_connections));
  RETURN_IF_ERROR(
      ReadDuration(node["header_timeout"], "webhooks.header_timeout", &out->header_timeout));
  if (out->header_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("webhooks.header_timeout must be more than 0s");
  }
  for (const auto& [key, provider] : provider_by_key) {
    std::vector<SecretRef>* target = &out->provider_secrets[provider];
    const YAML::Node list = node[key];
    if (!list) continue;
    if (!list.IsSequence()) {
      return absl::InvalidArgumentError(absl::StrCat("webhooks.", key, " must be a list"));
    }
    for (size_t i = 0; i < list.size(); ++i) {
      ASSIGN_OR_RETURN(auto ref,
                       ReadSecretRef(list[i], absl::StrCat("webhooks.", key, "[", i, "]")));
      target->push_back(std::move(ref));
    }
  }
  return absl::OkStatus();
}

// Applies GATEWAY_A__B__C=value as root[a][b][c] = value.
absl::Status ApplyEnvironment(const YAML::Node& root, const std::vector<std::string>& environment) {
  for (const std::string& entry : environment) {
    if (!absl::StartsWith(entry, kEnvPrefix)) continue;
    const size_t equals = entry.find('=');
    if (equals == std::string::npos) continue;
    const std::string name = entry.substr(kEnvPrefix.size(), equals - kEnvPrefix.size());
    std::vector<std::string> path = absl::StrSplit(absl::AsciiStrToLower(name), "__");
    if (path.size() < 2) continue;  // e.g. GATEWAY_CONFIG, not an override
    std::vector<YAML::Node> chain{root};
    for (size_t i = 0; i + 1 < path.size(); ++i) {
      if (chain.back()[path[i]] && !chain.back()[path[i]].IsMap()) {
        return absl::InvalidArgumentError(
            absl::StrCat(entry.substr(0, equals), " names ", path[i], ", which is not a section"));
      }
      chain.push_back(chain.back()[path[i]]);
    }
    chain.back()[path.back()] = entry.substr(equals + 1);
  }
  return absl::OkStatus();
}

absl::StatusOr<GatewayConfig> ParseConfigOrThrow(const std::string& yaml_text,
                                                 const std::vector<std::string>& environment) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("configuration is not valid YAML: ", e.what()));
  }
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  // Everything below indexes by key, which throws on a list or scalar.
  if (!root.IsMap()) {
    return absl::InvalidArgumentError(
        "configuration must be a YAML mapping (server:, providers:, ...) at the top level");
  }
  RETURN_IF_ERROR(ApplyEnvironment(root, environment));
  RETURN_IF_ERROR(UnknownKeys(
      root, "",
      {"server", "log", "store", "validation", "providers", "webhooks", "reconciliation"}));
  GatewayConfig config;
  if (const YAML::Node server = root["server"]) {
    RETURN_IF_ERROR(
        UnknownKeys(server, "server",
                    {"listen_address", "admin_listen_address", "admin_max_connections",
                     "drain_delay", "shutdown_grace", "callers", "tls_cert_file", "tls_key_file",
                     "tls_client_ca_file", "allow_plaintext", "policies_file"}));
    RETURN_IF_ERROR(
        ReadString(server["listen_address"], "server.listen_address", &config.listen_address));
    for (auto [key, target] : {std::pair<const char*, std::string*>{"admin_listen_address",
                                                                    &config.admin_listen_address},
                               {"tls_cert_file", &config.tls_cert_file},
                               {"tls_key_file", &config.tls_key_file},
                               {"tls_client_ca_file", &config.tls_client_ca_file}}) {
      RETURN_IF_ERROR(ReadString(server[key], absl::StrCat("server.", key), target));
    }
    if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
      return absl::InvalidArgumentError(
          "server.tls_cert_file and server.tls_key_file go together (both or neither)");
    }
    if (!config.tls_client_ca_file.empty() && config.tls_cert_file.empty()) {
      return absl::InvalidArgumentError(
          "server.tls_client_ca_file (mutual TLS) needs server.tls_cert_file and tls_key_file");
    }
    RETURN_IF_ERROR(
        ReadBool(server["allow_plaintext"], "server.allow_plaintext", &config.allow_plaintext));
    RETURN_IF_ERROR(ReadPositive(server["admin_max_connections"], "server.admin_max_connections",
                                 &config.admin_max_connections));
    if (const YAML::Node callers = server["callers"]) {
      ASSIGN_OR_RETURN(auto ref, ReadSecretRef(callers, "server.callers"));
      config.callers = std::move(ref);
    }
    RETURN_IF_ERROR(
        ReadString(server["policies_file"], "server.policies_file", &config.policies_file));
    if (!config.policies_file.empty() &&
        (config.policies_file.find_first_of("\r\n") != std::string::npos ||
         absl::StripAsciiWhitespace(config.policies_file) != config.policies_file)) {
      return absl::InvalidArgumentError(
          "server.policies_file must be a path on one line, without leading or trailing spaces");
    }
    RETURN_IF_ERROR(ReadDuration(server["drain_delay"], "server.drain_delay", &config.drain_delay));
    RETURN_IF_ERROR(
        ReadDuration(server["shutdown_grace"], "server.shutdown_grace", &config.shutdown_grace));
  }
  if (const YAML::Node log = root["log"]) {
    RETURN_IF_ERROR(UnknownKeys(log, "log", {"level"}));
    RETURN_IF_ERROR(ReadString(log["level"], "log.level", &config.log_level));
  }
  if (const YAML::Node store = root["store"]) {
    RETURN_IF_ERROR(UnknownKeys(
        store, "store",
        {"url", "lease", "retention", "resolve_interval", "pending_recheck", "allow_plaintext"}));
    RETURN_IF_ERROR(
        ReadBool(store["allow_plaintext"], "store.allow_plaintext", &config.store_allow_plaintext));
    RETURN_IF_ERROR(ReadString(store["url"], "store.url", &config.store_url));
    for (const auto& [key, target] :
         {std::pair<const char*, absl::Duration*>{"lease", &config.store_lease},
          {"retention", &config.store_retention},
          {"resolve_interval", &config.resolve_interval},
          {"pending_recheck", &config.pending_recheck}}) {
      RETURN_IF_ERROR(ReadDuration(store[key], absl::StrCat("store.", key), target));
    }
  }
  if (const YAML::Node validation = root["validation"]) {
    RETURN_IF_ERROR(UnknownKeys(validation, "validation", {"extra_banks"}));
    for (const YAML::Node& bank : validation["extra_banks"]) {
      RETURN_IF_ERROR(UnknownKeys(bank, "validation.extra_banks[]", {"banxico_code", "name"}));
      std::string code, name;
      RETURN_IF_ERROR(ReadString(bank["banxico_code"], "banxico_code", &code));
      RETURN_IF_ERROR(ReadString(bank["name"], "name", &name));
      config.extra_banks.emplace_back(code, name);
    }
  }
  if (const YAML::Node webhooks = root["webhooks"]) {
    RETURN_IF_ERROR(ReadWebhooks(webhooks, &config.webhooks));
  }
  if (const YAML::Node reconciliation = root["reconciliation"]) {
    RETURN_IF_ERROR(ReadReconciliation(reconciliation, &config.reconciliation));
  }
  if (const YAML::Node providers = root["providers"]) {
    std::set<std::string> linked;
    for (const providers::ProviderRegistration* registration : providers::LinkedProviders()) {
      linked.insert(registration->name);
    }
    RETURN_IF_ERROR(UnknownKeys(providers, "providers", linked));
    for (const auto& entry : providers) {
      const std::string name = entry.first.as<std::string>();
      ASSIGN_OR_RETURN(auto settings, ReadProvider(entry.second, "providers." + name));
      config.providers[name] = std::move(settings);
    }
  }
  RETURN_IF_ERROR(CheckTransport(config));
  // Policies name callers; without caller authentication every call is the anonymous caller
  // "", which no policy can name, so the gateway would refuse everything.
  if (!config.policies_file.empty() && config.callers.file.empty() && config.callers.env.empty() &&
      config.tls_client_ca_file.empty()) {
    return absl::InvalidArgumentError(
        "server.policies_file needs caller authentication (server.callers or "
        "server.tls_client_ca_file): without it every call is the anonymous caller, which no "
        "policy names");
  }
  return config;
}

}  // namespace

absl::StatusOr<GatewayConfig> ParseConfig(const std::string& yaml_text,
                                          const std::vector<std::string>& environment) {
  // yaml-cpp throws when a node has another shape than the one read (a list where a mapping
  // is expected, a key that is not text, ...); every such mistake is the file's, not a crash.
  try {
    return ParseConfigOrThrow(yaml_text, environment);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("configuration has a value of the wrong shape: ", e.what()));
  }
}

absl::StatusOr<GatewayConfig> LoadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read configuration file ", path));
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::string> environment;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    environment.emplace_back(*entry);
  }
  auto config = ParseConfig(text.str(), environment);
  if (!config.ok()) {
    return absl::Status(config.status().code(),
                        absl::StrCat(path, ": ", config.status().message()));
  }
  return config;
}

}  // namespace gateway
