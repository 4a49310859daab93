"""cc_grpc_proto: .proto -> C++ messages (+ gRPC stubs) with the system protoc and grpc_cpp_plugin.

Generated files include each other as "<package>/<file>.pb.h", matching the import paths
in the .proto files (imports are relative to the workspace root). Debian's protoc also
finds the well-known types (google/protobuf/*.proto) in /usr/include.
"""

PROTOC = "/usr/bin/protoc"
GRPC_CPP_PLUGIN = "/usr/bin/grpc_cpp_plugin"

def cc_grpc_proto(name, srcs, proto_deps = [], grpc = True, deps = [], visibility = None):
    """One cc_library for the messages (and services) of `srcs`.

    proto_deps: .proto files imported by srcs (from other packages), passed to protoc.
    deps: the cc_grpc_proto targets that compile those imported files.
    """
    outs = []
    for src in srcs:
        if not src.endswith(".proto"):
            fail("srcs must be .proto files")
        base = src[:-len(".proto")]
        outs += [base + ".pb.h", base + ".pb.cc"]
        if grpc:
            outs += [base + ".grpc.pb.h", base + ".grpc.pb.cc"]
    grpc_flags = ""
    if grpc:
        grpc_flags = "--grpc_out=$(GENDIR) --plugin=protoc-gen-grpc=%s " % GRPC_CPP_PLUGIN
    native.genrule(
        name = name + "_gen",
        srcs = srcs + proto_deps,
        outs = outs,
        cmd = "%s -I. --cpp_out=$(GENDIR) %s%s" % (
            PROTOC,
            grpc_flags,
            " ".join(["$(location %s)" % s for s in srcs]),
        ),
    )
    native.cc_library(
        name = name,
        srcs = [o for o in outs if o.endswith(".cc")],
        hdrs = [o for o in outs if o.endswith(".h")],
        # Generated code is not ours to warn about.
        copts = ["-Wno-unused-parameter", "-Wno-extra"],
        deps = deps + ["@system//:grpcpp" if grpc else "@system//:protobuf"],
        visibility = visibility,
    )
