// google.protobuf.Timestamp <-> absl::Time, at microsecond precision (the store and the
// providers' texts carry no finer time).
#ifndef VOCABULARY_PROTO_TIME_H_
#define VOCABULARY_PROTO_TIME_H_

#include <google/protobuf/timestamp.pb.h>

#include "absl/time/time.h"

namespace gateway {

google::protobuf::Timestamp TimestampOf(absl::Time time);
absl::Time TimeOf(const google::protobuf::Timestamp& timestamp);

}  // namespace gateway

#endif  // VOCABULARY_PROTO_TIME_H_
