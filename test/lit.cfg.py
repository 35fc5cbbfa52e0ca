# -*- Python -*-
# The logic of the mapguard lit suite; paths come from lit.site.cfg.py.
import os
import shlex

import lit.formats
import lit.util

config.name = "mapguard"
config.test_format = lit.formats.ShTest(not lit.util.which("bash"))
config.suffixes = [".cpp", ".test"]
# GoogleTest sources and inputs of other tests are not lit tests.
config.excludes = ["Inputs", "shim", "analysis", "harness", "install", "CMakeLists.txt",
                   "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = config.mapguard_test_src
config.test_exec_root = config.mapguard_test_obj

config.environment["PATH"] = os.pathsep.join(
    [os.path.join(config.mapguard_obj_root, "bin"), config.llvm_tools_dir,
     config.environment.get("PATH", os.environ.get("PATH", ""))])
for var in ("HOME", "TMPDIR", "LANG"):
    if var in os.environ:
        config.environment[var] = os.environ[var]

q = shlex.quote
shim_include = os.path.join(config.mapguard_src_root, "lib", "include")

check = [q(config.python_executable),
         q(os.path.join(config.mapguard_test_src, "harness", "check_mapguard.py")),
         "--clang-tidy=" + q(config.clang_tidy),
         "--plugin=" + q(config.plugin),
         "--filecheck=" + q(config.filecheck),
         "--clang-tidy-major=" + config.llvm_major,
         "--default-include=" + q(shim_include)]
config.substitutions.append(("%check_mapguard", " ".join(check)))
config.substitutions.append(("%clang_tidy", q(config.clang_tidy)))
config.substitutions.append(("%mapguard_plugin", q(config.plugin)))
config.substitutions.append(("%shim_include", q(shim_include)))
config.substitutions.append(("%mapguard_src", q(config.mapguard_src_root)))
config.substitutions.append(("%mapguard_obj", q(config.mapguard_obj_root)))
config.substitutions.append(("%python", q(config.python_executable)))

# Real scope-guard libraries from Debian; tests that need one REQUIRE it.
for feature, path in (("gsl", config.gsl_include),
                      ("absl", config.absl_include),
                      ("boost", config.boost_include)):
    if path and not path.endswith("-NOTFOUND"):
        config.available_features.add(feature)

for tool in ("mapguard", "mapguard-clangd"):
    if os.path.exists(os.path.join(config.mapguard_obj_root, "bin", tool)):
        config.available_features.add(tool)

config.substitutions.append(("%llvm_major", config.llvm_major))
# The clang-tidy under test, as a feature: a test that needs what an older
# clang cannot compile says so (UNSUPPORTED: clang-tidy-14).
config.available_features.add("clang-tidy-" + config.llvm_major)

# A clang-tidy of another LLVM major, to check that the plugin refuses to load
# into it: 19 for a plugin built for 22, 22 for the older ones.
other = "19" if config.llvm_major == "22" else "22"
other_tidy = "/usr/lib/llvm-%s/bin/clang-tidy" % other
if os.path.exists(other_tidy):
    config.available_features.add("other-clang-tidy")
    config.substitutions.insert(0, ("%other_clang_tidy", other_tidy))
    config.substitutions.append(("%other_major", other))
