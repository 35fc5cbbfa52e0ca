//===--- InputFile.h - reading the files the tools are given ----*- C++ -*-===//
//
// Every file the scanner reads as data — compile databases, --config-file,
// baselines, merge inputs, confirm's events file, cache entries — goes
// through readInputFile(): its kind and size are checked before it is opened
// (a FIFO would block, /dev/zero never ends), and a file over its limit is
// refused instead of exhausting memory. JSON is parsed by parseJSONInput(),
// which first scans the bytes for their nesting depth: llvm::json::parse
// recurses once per level, so a deeply nested document would overflow the
// stack. Messages never echo the input's bytes.
//
//===----------------------------------------------------------------------===//

#ifndef MAPGUARD_TOOL_INPUTFILE_H
#define MAPGUARD_TOOL_INPUTFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include <cstdint>
#include <memory>

namespace clang::tidy::mapguard {

/// Size limits of the inputs, in bytes (documented in docs/tools.md).
namespace limits {
constexpr uint64_t MiB = 1024 * 1024;
/// compile_commands.json: CMake writes ~1 KB per file.
constexpr uint64_t Database = 1024 * MiB;
/// A baseline records ~200 bytes per finding.
constexpr uint64_t Baseline = 64 * MiB;
/// A JSON or SARIF report given to `mapguard merge`.
constexpr uint64_t Report = 256 * MiB;
/// The shim's events file read by `mapguard confirm`.
constexpr uint64_t Events = 256 * MiB;
/// --config-file.
constexpr uint64_t Config = 16 * MiB;
/// One result cache entry (the result of one translation unit).
constexpr uint64_t CacheEntry = 64 * MiB;
/// A project index (`mapguard index`, --merge, --index): ~1 KB per function.
constexpr uint64_t Index = 1024 * MiB;
/// A source file (the main file of a translation unit).
constexpr uint64_t Source = 1024 * MiB;
/// The deepest nesting of arrays and objects in a JSON input.
constexpr unsigned JSONDepth = 64;
} // namespace limits

/// Reads \p Path when it is a regular file (symbolic links followed) of at
/// most \p Limit bytes. Errors read "cannot read <What> '<Path>': <why>".
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(llvm::StringRef Path, uint64_t Limit, llvm::StringRef What);

/// Why \p Path may not be read as a regular file of at most \p Limit bytes
/// ("is a FIFO", "is larger than 64 MiB"), or "" when it may.
std::string checkInputFileKind(llvm::StringRef Path, uint64_t Limit);

/// An error, with its line:column, when \p Text is not one JSON document
/// (a truncated one, binary data, text after it) or nests arrays and objects
/// deeper than \p MaxDepth. Linear, no recursion, no values built: what
/// llvm::json::parse (which recurses per level) and clang's compile database
/// reader (which takes a document cut short for the entries it has) may
/// then read safely.
llvm::Error checkJSONStructure(llvm::StringRef Text,
                               unsigned MaxDepth = limits::JSONDepth);

/// checkJSONStructure(), then llvm::json::parse.
llvm::Expected<llvm::json::Value>
parseJSONInput(llvm::StringRef Text, unsigned MaxDepth = limits::JSONDepth);

/// \p Text fit for a one-line message: control characters and bytes that
/// are not UTF-8 as \xNN escapes, at most \p MaxBytes bytes kept ("..."
/// after a cut).
std::string printable(llvm::StringRef Text, size_t MaxBytes = 200);

} // namespace clang::tidy::mapguard

#endif // MAPGUARD_TOOL_INPUTFILE_H
