// The sandbox's names for the shared HTTP(S) server (providers/http/http_server.h), which the
// sandbox runs with control endpoints and fault injection.
#ifndef SANDBOX_HTTP_HTTPS_SERVER_H_
#define SANDBOX_HTTP_HTTPS_SERVER_H_

#include "providers/http/http_server.h"

namespace sandbox {

using providers::http::FaultPlan;
using providers::http::Handler;
using providers::http::HttpsServer;
using providers::http::Reply;
using providers::http::Request;
using providers::http::Responder;
using providers::http::ServerOptions;

}  // namespace sandbox

#endif  // SANDBOX_HTTP_HTTPS_SERVER_H_
