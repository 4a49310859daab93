"""A test that runs the real gateway and sandbox binaries as processes (process_fixtures)."""

def process_test(name, extra_data = [], tags = [], size = "medium", shard_count = None):
    """cc_test `name` from `name`.cc with the binaries as data and the process fixtures.

    Args:
      name: the test, and its source file without ".cc".
      extra_data: more binaries the test starts (e.g. //bench:loadgen).
      tags: e.g. ["external"] for tests that talk to the PostgreSQL server scripts/test.sh
        starts, so that their results are never taken from the cache.
      size: the test size (its timeout).
      shard_count: split its cases over this many processes.
    """
    native.cc_test(
        name = name,
        size = size,
        shard_count = shard_count,
        tags = tags,
        srcs = [name + ".cc"],
        data = ["//gateway", "//sandbox"] + extra_data,
        deps = [
            ":process_fixtures",
            "//proto/payments/v1:payments_cc_grpc",
            "@system//:absl",
            "@system//:grpcpp",
            "@system//:gtest_main",
        ],
    )
