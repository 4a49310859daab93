// What a key file looked like when last read (device, inode, size, modification time), so a
// signer can tell cheaply whether a rotated key file needs loading again. Shared by the
// providers whose signing keys live in files (Fintoc's JWS key, STP's firma key).
#ifndef PROVIDERS_COMMON_FILE_STAMP_H_
#define PROVIDERS_COMMON_FILE_STAMP_H_

#include <cstdint>
#include <string>

namespace providers {

struct FileStamp {
  bool exists = false;
  uint64_t device = 0;
  uint64_t inode = 0;
  int64_t size = 0;
  int64_t mtime_ns = 0;
  bool operator==(const FileStamp& other) const;
  bool operator!=(const FileStamp& other) const { return !(*this == other); }
};

// The file's stamp now; `exists` false when it cannot be stat'ed.
FileStamp StatFile(const std::string& path);

}  // namespace providers

#endif  // PROVIDERS_COMMON_FILE_STAMP_H_
