// Scenario 1's baseline: the same money_out requests the gateway's Monato adapter sends (same
// body builder, same token cache, same kept-alive HTTPS client and pool size), sent by the load
// generator straight to the sandbox. No gRPC, no validation, no idempotency store, no ledger:
// what is left is the provider's own cost, so gateway / direct is the gateway's overhead.
#ifndef BENCH_DIRECT_MONATO_H_
#define BENCH_DIRECT_MONATO_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "bench/load_driver.h"
#include "net/http/beast_http_client.h"
#include "providers/monato/monato_directory.h"
#include "providers/monato/monato_session.h"

namespace bench {

struct DirectMonatoOptions {
  std::string base_url;  // https://127.0.0.1:PORT
  std::string ca_file;   // the sandbox's CA
  std::string client_id;
  std::string api_key;
  std::string client_secret;
  std::string account_id;   // Monato's own account id (the gateway's "monato.acct.<id>" suffix)
  int max_connections = 8;  // the gateway's default pool size per provider
};

class DirectMonato {
 public:
  // Fetches a token and looks up the source and destination instruments, as the adapter does
  // before its first money_out.
  static absl::StatusOr<std::unique_ptr<DirectMonato>> Connect(DirectMonatoOptions options);
  ~DirectMonato();

  // A StartCall for DriveLoad: one money_out, labelled "monato-direct"; OK on a 2xx.
  StartCall Starter();

 private:
  explicit DirectMonato(DirectMonatoOptions options);
  void Start(int64_t n, CallFinished finished);
  std::string IdempotencyKey(int64_t number) const;

  const DirectMonatoOptions options_;
  std::unique_ptr<net::http::BeastHttpClient> http_;
  std::unique_ptr<providers::monato::MonatoSession> session_;
  std::unique_ptr<providers::monato::MonatoDirectory> directory_;
  std::string source_instrument_;
  std::string destination_instrument_;
  const int64_t run_stamp_;
};

}  // namespace bench

#endif  // BENCH_DIRECT_MONATO_H_
