// The sandbox's names for the shared HTTP(S) server (net/http/http_server.h), which the
// sandbox runs with control endpoints and fault injection.
#ifndef SANDBOX_HTTP_HTTP_SERVER_H_
#define SANDBOX_HTTP_HTTP_SERVER_H_

#include "net/http/http_server.h"

namespace sandbox {

using net::http::FaultPlan;
using net::http::Handler;
using net::http::HttpServer;
using net::http::ServerReply;
using net::http::ServerRequest;
using net::http::Responder;
using net::http::ServerOptions;

}  // namespace sandbox

#endif  // SANDBOX_HTTP_HTTP_SERVER_H_
