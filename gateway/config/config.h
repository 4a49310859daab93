// Gateway configuration: one YAML file, then environment overrides, then secrets resolved from
// files or environment variables (never from the command line, never logged).
//
// Environment overrides: GATEWAY_<SECTION>__<KEY>[__<KEY>...]=value sets that scalar, e.g.
//   GATEWAY_SERVER__LISTEN_ADDRESS=0.0.0.0:50051
//   GATEWAY_PROVIDERS__MONATO__BASE_URL=https://...
// See config/gateway.example.yaml for every key.
#ifndef GATEWAY_CONFIG_CONFIG_H_
#define GATEWAY_CONFIG_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "providers/registration/provider_settings.h"

namespace gateway {

// Secret references and a provider's section live with the provider registrations
// (providers/registration/provider_settings.h); these names are kept for the gateway's code.
using providers::ProviderSettings;
using providers::ReadSecret;
using providers::SecretRef;

// The webhook listener (its own port; plain HTTP behind an ingress, or TLS).
struct WebhookSettings {
  bool enabled = false;
  std::string listen_address = "127.0.0.1:8081";
  std::string tls_cert_file;  // both empty: plain HTTP
  std::string tls_key_file;
  // The URL providers call, registered with Monato at start (empty: not registered).
  std::string public_url;
  // Each linked provider's webhook secrets, by provider name, from the key its registration
  // names (webhooks.fintoc_secrets, webhooks.monato_tokens): current first, then any being
  // rotated out.
  std::map<std::string, std::vector<SecretRef>> provider_secrets;
  // Connections open at once (more are closed on accept), and the time a request's header may
  // take to arrive once it started (slowloris).
  int max_connections = 256;
  absl::Duration header_timeout = absl::Seconds(10);
};

// The scheduled reconciliation (docs/reconciliation.md#settings). Every `interval` one replica
// (the one holding the store's "reconciliation" lease) reconciles each configured provider over
// the `lookback` ending `grace` ago.
struct ReconciliationSettings {
  absl::Duration interval = absl::ZeroDuration();  // 0: no scheduled runs (the RPC still works)
  absl::Duration lookback = absl::Hours(24);
  // UNKNOWN or PENDING longer than this is reported stuck (also for the RPC).
  absl::Duration stuck_after = absl::Hours(1);
  // A provider's transfer dated this far outside the window still pairs (clocks differ).
  absl::Duration grace = absl::Minutes(15);
  // A run is cut into slices of at most this many gateway records, so its memory is bounded
  // whatever the window holds (docs/reconciliation.md, "How a run works").
  int max_records_per_slice = 10000;
};

struct GatewayConfig {
  std::string listen_address = "127.0.0.1:50051";
  // Plain-HTTP admin port serving Prometheus /metrics; empty: none.
  std::string admin_listen_address;
  int admin_max_connections = 32;  // Prometheus needs one or two
  // TLS on the gRPC port (both empty: plaintext, e.g. behind a mesh doing mTLS). With a client
  // CA, callers must present a certificate it signed (mutual TLS); without caller tokens the
  // certificate's common name is the caller.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  // Caller tokens over a gRPC port without TLS (not on loopback) are refused unless this says
  // something else encrypts the traffic (a mesh doing mTLS between pods).
  bool allow_plaintext = false;
  // Caller tokens ("caller: token" lines); unset: every call is the anonymous caller.
  SecretRef callers;
  // The caller policies file (docs/policies.md); empty: no policies, every caller may do
  // everything. Re-read on change like the callers file.
  std::string policies_file;
  // On SIGTERM: report NOT_SERVING this long while still serving (lets load balancers
  // notice), then stop taking calls and give in-flight ones `shutdown_grace` to finish.
  absl::Duration drain_delay = absl::ZeroDuration();
  absl::Duration shutdown_grace = absl::Seconds(20);
  std::string log_level = "info";
  std::string store_url = "sqlite://var/gateway.db";
  // A PostgreSQL server off the host without sslmode=require/verify-ca/verify-full is refused
  // unless this is set (the network is trusted otherwise).
  bool store_allow_plaintext = false;
  // A claim's lease: longer than a provider call may take; after it a dead owner's claim is
  // taken over. Records are kept `store_retention`.
  absl::Duration store_lease = absl::Seconds(30);
  absl::Duration store_retention = absl::Hours(24);
  // How often the resolver runs, and how long a PENDING payout may go unchanged before it is
  // re-read from the provider (covers missed webhooks).
  absl::Duration resolve_interval = absl::Seconds(5);
  absl::Duration pending_recheck = absl::Minutes(2);
  // Extra SPEI participants: (5-digit Banxico code, name).
  std::vector<std::pair<std::string, std::string>> extra_banks;
  // By provider name; only names of linked providers (providers/registration/) are accepted.
  std::map<std::string, ProviderSettings> providers;
  WebhookSettings webhooks;
  ReconciliationSettings reconciliation;
};

// Parses YAML text, then applies `environment` (NAME=value entries; only GATEWAY_* are used).
absl::StatusOr<GatewayConfig> ParseConfig(const std::string& yaml_text,
                                          const std::vector<std::string>& environment);

// Reads `path` and parses it with this process's environment.
absl::StatusOr<GatewayConfig> LoadConfigFile(const std::string& path);

}  // namespace gateway

#endif  // GATEWAY_CONFIG_CONFIG_H_
