"""Repository rule: wrap system libraries found by pkg-config as cc_library targets.

Runs `pkg-config` on the host when the repository is (re)fetched; no network.
Headers are not declared: they live in /usr/include, which the auto-configured GCC
toolchain already treats as a system include directory.
"""

def _pkg_config(rctx, args):
    res = rctx.execute(["pkg-config"] + args)
    if res.return_code != 0:
        fail("pkg-config %s failed (run scripts/setup.sh): %s" % (" ".join(args), res.stderr))
    return [f for f in res.stdout.strip().split(" ") if f]

def _impl(rctx):
    lines = ['package(default_visibility = ["//visibility:public"])', ""]
    for name, modules in rctx.attr.libs.items():
        mods = [m for m in modules.split(" ") if m]
        linkopts = _pkg_config(rctx, ["--libs"] + mods) if mods else []
        linkopts += [f for f in rctx.attr.extra_linkopts.get(name, "").split(" ") if f]
        cflags = _pkg_config(rctx, ["--cflags"] + mods) if mods else []
        defines = [f[2:] for f in cflags if f.startswith("-D")]
        copts = [f for f in cflags if not f.startswith("-D") and f != "-I/usr/include"]
        lines.append("cc_library(")
        lines.append("    name = %r," % name)
        lines.append("    linkopts = %r," % linkopts)
        lines.append("    defines = %r," % defines)
        lines.append("    copts = %r," % copts)
        lines.append(")")
        lines.append("")
    rctx.file("BUILD.bazel", "\n".join(lines))

pkg_config_repository = repository_rule(
    implementation = _impl,
    attrs = {
        "libs": attr.string_dict(mandatory = True),
        "extra_linkopts": attr.string_dict(),
    },
    environ = ["PKG_CONFIG_PATH"],
    local = True,
)
