// The control call that makes a simulator's webhook deliveries misbehave (WebhookFaults):
//   GET  /_sandbox/webhook_faults  {"duplicate_percent":N,"max_delay_ms":N,"duplicated":N}
//   POST /_sandbox/webhook_faults  {"duplicate_percent":0-100,"max_delay_ms":>=0} (both optional)
#ifndef SANDBOX_COMMON_WEBHOOK_FAULTS_CONTROL_H_
#define SANDBOX_COMMON_WEBHOOK_FAULTS_CONTROL_H_

#include "absl/types/optional.h"
#include "sandbox/common/webhook_sender.h"
#include "sandbox/http/http_server.h"

namespace sandbox {

// The reply when `request` is the call above; nullopt for any other path.
absl::optional<ServerReply> WebhookFaultsControlReply(const ServerRequest& request,
                                                      WebhookSender& sender);

}  // namespace sandbox

#endif  // SANDBOX_COMMON_WEBHOOK_FAULTS_CONTROL_H_
