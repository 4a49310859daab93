#include "gateway/cli/reflection_client.h"

#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/client_context.h>
#include <grpcpp/completion_queue.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

#include "absl/strings/str_cat.h"

namespace gateway {
namespace {

constexpr char kMethod[] = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";
// ServerReflectionRequest{list_services = "*"}: field 7, wire type 2, length 1.
constexpr char kListServicesRequest[] = {0x3a, 0x01, '*'};
constexpr int kListServicesResponseField = 6;  // ServerReflectionResponse.list_services_response
constexpr int kErrorResponseField = 7;         // ServerReflectionResponse.error_response
constexpr int kServiceField = 1;               // ListServiceResponse.service
constexpr int kNameField = 1;                  // ServiceResponse.name

bool Await(grpc::CompletionQueue& queue, void* expected_tag) {
  void* tag = nullptr;
  bool ok = false;
  return queue.Next(&tag, &ok) && ok && tag == expected_tag;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ListServicesByReflection(
    const std::shared_ptr<grpc::Channel>& channel, absl::Duration timeout) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::CompletionQueue queue;
  auto call = stub.PrepareCall(&context, kMethod, &queue);
  int step = 0;
  call->StartCall(&step);
  if (!Await(queue, &step)) return absl::UnavailableError("reflection call did not start");
  grpc::Slice slice(kListServicesRequest, sizeof(kListServicesRequest));
  grpc::ByteBuffer request(&slice, 1);
  call->Write(request, &step);
  if (!Await(queue, &step)) return absl::UnavailableError("reflection request not sent");
  call->WritesDone(&step);
  if (!Await(queue, &step)) return absl::UnavailableError("reflection stream not closed");
  grpc::ByteBuffer response;
  call->Read(&response, &step);
  const bool got_reply = Await(queue, &step);
  grpc::Status status;
  call->Finish(&status, &step);
  Await(queue, &step);
  queue.Shutdown();
  void* ignored_tag;
  bool ignored_ok;
  while (queue.Next(&ignored_tag, &ignored_ok)) {
  }
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat("reflection: ", status.error_message()));
  }
  if (!got_reply) return absl::UnavailableError("reflection: no reply");

  std::vector<grpc::Slice> slices;
  (void)response.Dump(&slices);
  std::string bytes;
  for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  google::protobuf::UnknownFieldSet reply;
  if (!reply.ParseFromString(bytes)) return absl::DataLossError("reflection: unparsable reply");
  std::vector<std::string> services;
  for (int i = 0; i < reply.field_count(); ++i) {
    const auto& field = reply.field(i);
    if (field.number() == kErrorResponseField) {
      return absl::InternalError("reflection: the server answered with an error");
    }
    if (field.number() != kListServicesResponseField) continue;
    google::protobuf::UnknownFieldSet list;
    if (!list.ParseFromString(field.length_delimited())) continue;
    for (int j = 0; j < list.field_count(); ++j) {
      if (list.field(j).number() != kServiceField) continue;
      google::protobuf::UnknownFieldSet service;
      if (!service.ParseFromString(list.field(j).length_delimited())) continue;
      for (int k = 0; k < service.field_count(); ++k) {
        if (service.field(k).number() == kNameField) {
          services.push_back(service.field(k).length_delimited());
        }
      }
    }
  }
  return services;
}

}  // namespace gateway
