//===--- InputFile.cpp - reading the files the tools are given ------------===//

#include "InputFile.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <vector>

namespace clang::tidy::mapguard {

namespace {

std::string sizeText(uint64_t Bytes) {
  if (Bytes >= limits::MiB && Bytes % limits::MiB == 0)
    return std::to_string(Bytes / limits::MiB) + " MiB";
  return std::to_string(Bytes) + " bytes";
}

/// Why a file of this status may not be read, or "".
std::string problemWith(const llvm::sys::fs::file_status &Status,
                        uint64_t Limit) {
  using llvm::sys::fs::file_type;
  switch (Status.type()) {
  case file_type::regular_file:
    break;
  case file_type::directory_file:
    return "is a directory";
  case file_type::fifo_file:
    return "is a FIFO, not a regular file";
  case file_type::character_file:
  case file_type::block_file:
    return "is a device, not a regular file";
  case file_type::socket_file:
    return "is a socket, not a regular file";
  default:
    return "is not a regular file";
  }
  if (Status.getSize() > Limit)
    return "is larger than the limit of " + sizeText(Limit);
  return "";
}

llvm::Error readError(llvm::StringRef What, llvm::StringRef Path,
                      const llvm::Twine &Why) {
  return llvm::createStringError(
      "cannot read %s%s'%s': %s", What.str().c_str(), What.empty() ? "" : " ",
      printable(Path, 1000).c_str(), Why.str().c_str());
}

} // namespace

std::string checkInputFileKind(llvm::StringRef Path, uint64_t Limit) {
  llvm::sys::fs::file_status Status;
  if (std::error_code EC = llvm::sys::fs::status(Path, Status))
    return EC.message();
  return problemWith(Status, Limit);
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(llvm::StringRef Path, uint64_t Limit, llvm::StringRef What) {
  // The kind first: opening a FIFO blocks until a writer comes.
  std::string Problem = checkInputFileKind(Path, Limit);
  if (!Problem.empty())
    return readError(What, Path, Problem);
  llvm::Expected<llvm::sys::fs::file_t> FD =
      llvm::sys::fs::openNativeFileForRead(Path);
  if (!FD)
    return readError(What, Path, llvm::toString(FD.takeError()));
  // Again on what was opened: the name may have changed in between.
  llvm::sys::fs::file_status Status;
  std::error_code EC = llvm::sys::fs::status(*FD, Status);
  if (!EC)
    Problem = problemWith(Status, Limit);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer =
      std::make_error_code(std::errc::io_error);
  if (!EC && Problem.empty())
    Buffer = llvm::MemoryBuffer::getOpenFile(*FD, Path, Status.getSize());
  llvm::sys::fs::closeFile(*FD);
  if (EC)
    return readError(What, Path, EC.message());
  if (!Problem.empty())
    return readError(What, Path, Problem);
  if (!Buffer)
    return readError(What, Path, Buffer.getError().message());
  return std::move(*Buffer);
}

namespace {

/// A JSON syntax checker with an explicit stack: what llvm::json::parse
/// would refuse, found without recursion and without building values.
class JSONChecker {
public:
  JSONChecker(llvm::StringRef Text, unsigned MaxDepth)
      : Text(Text), MaxDepth(MaxDepth) {}

  llvm::Error check() {
    if (!llvm::json::isUTF8(Text))
      return fail("the document is not UTF-8 text");
    enum class Want { Value, ValueOrClose, KeyOrClose, Key, Colon, CommaOrClose, End };
    Want W = Want::Value;
    auto AfterValue = [&] {
      W = Open.empty() ? Want::End : Want::CommaOrClose;
    };
    auto Close = [&] {
      Open.pop_back();
      ++I;
      AfterValue();
    };
    while (true) {
      while (I < Text.size() && (Text[I] == ' ' || Text[I] == '\t' ||
                                 Text[I] == '\n' || Text[I] == '\r'))
        ++I;
      if (I == Text.size())
        break;
      char C = Text[I];
      switch (W) {
      case Want::ValueOrClose:
        if (C == ']') {
          Close();
          break;
        }
        [[fallthrough]];
      case Want::Value:
        if (C == '{' || C == '[') {
          if (Open.size() >= MaxDepth)
            return fail("nested deeper than " + llvm::Twine(MaxDepth) +
                        " levels");
          Open.push_back(C);
          ++I;
          W = C == '{' ? Want::KeyOrClose : Want::ValueOrClose;
          break;
        }
        if (llvm::Error E = scalar())
          return E;
        AfterValue();
        break;
      case Want::KeyOrClose:
        if (C == '}') {
          Close();
          break;
        }
        [[fallthrough]];
      case Want::Key:
        if (C != '"')
          return fail("expected a string key");
        if (llvm::Error E = string())
          return E;
        W = Want::Colon;
        break;
      case Want::Colon:
        if (C != ':')
          return fail("expected ':'");
        ++I;
        W = Want::Value;
        break;
      case Want::CommaOrClose:
        if (C == ',') {
          ++I;
          W = Open.back() == '{' ? Want::Key : Want::Value;
          break;
        }
        if (C != (Open.back() == '{' ? '}' : ']'))
          return fail(Open.back() == '{' ? "expected ',' or '}'"
                                         : "expected ',' or ']'");
        Close();
        break;
      case Want::End:
        return fail("unexpected text after the document");
      }
    }
    if (W != Want::End)
      return fail(Text.trim().empty() ? "the document is empty"
                                      : "the document ends early (truncated?)");
    return llvm::Error::success();
  }

private:
  llvm::Error fail(const llvm::Twine &What) const {
    llvm::StringRef Before = Text.take_front(I);
    size_t LineStart = Before.rfind('\n');
    unsigned Line = Before.count('\n') + 1;
    size_t Column = LineStart == llvm::StringRef::npos ? I + 1 : I - LineStart;
    return llvm::createStringError("line %u column %zu: %s", Line, Column,
                                   What.str().c_str());
  }

  static bool isDigit(char C) { return C >= '0' && C <= '9'; }

  llvm::Error scalar() {
    char C = Text[I];
    if (C == '"')
      return string();
    if (C == '-' || isDigit(C))
      return number();
    for (llvm::StringRef Literal : {"true", "false", "null"})
      if (Text.substr(I).starts_with(Literal)) {
        I += Literal.size();
        return llvm::Error::success();
      }
    return fail("expected a value");
  }

  llvm::Error string() {
    ++I; // the opening quote
    while (I < Text.size()) {
      unsigned char C = Text[I];
      if (C == '"') {
        ++I;
        return llvm::Error::success();
      }
      if (C < 0x20)
        return fail("a control character in a string");
      if (C == '\\') {
        if (++I == Text.size())
          break;
        char E = Text[I];
        if (E == 'u') {
          for (int K = 1; K <= 4; ++K)
            if (I + K >= Text.size() || !llvm::isHexDigit(Text[I + K]))
              return fail("a bad \\u escape in a string");
          I += 4;
        } else if (!llvm::StringRef("\"\\/bfnrt").contains(E)) {
          return fail("a bad escape in a string");
        }
      }
      ++I;
    }
    return fail("the document ends inside a string (truncated?)");
  }

  llvm::Error number() {
    if (Text[I] == '-')
      ++I;
    auto Digits = [&] {
      size_t From = I;
      while (I < Text.size() && isDigit(Text[I]))
        ++I;
      return I - From;
    };
    if (I < Text.size() && Text[I] == '0')
      ++I;
    else if (Digits() == 0)
      return fail("a malformed number");
    if (I < Text.size() && Text[I] == '.') {
      ++I;
      if (Digits() == 0)
        return fail("a malformed number");
    }
    if (I < Text.size() && (Text[I] == 'e' || Text[I] == 'E')) {
      ++I;
      if (I < Text.size() && (Text[I] == '+' || Text[I] == '-'))
        ++I;
      if (Digits() == 0)
        return fail("a malformed number");
    }
    return llvm::Error::success();
  }

  llvm::StringRef Text;
  unsigned MaxDepth;
  size_t I = 0;
  std::vector<char> Open; // the brackets not closed yet
};

} // namespace

llvm::Error checkJSONStructure(llvm::StringRef Text, unsigned MaxDepth) {
  return JSONChecker(Text, MaxDepth).check();
}

llvm::Expected<llvm::json::Value> parseJSONInput(llvm::StringRef Text,
                                                 unsigned MaxDepth) {
  if (llvm::Error E = checkJSONStructure(Text, MaxDepth))
    return std::move(E);
  return llvm::json::parse(Text);
}

std::string printable(llvm::StringRef Text, size_t MaxBytes) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  size_t I = 0;
  for (; I < Text.size() && Out.size() < MaxBytes;) {
    unsigned char C = Text[I];
    size_t Length = C < 0x80 ? 1
                    : (C >> 5) == 0x6 ? 2
                    : (C >> 4) == 0xE ? 3
                    : (C >> 3) == 0x1E ? 4
                                       : 0;
    bool Valid = Length != 0 && I + Length <= Text.size();
    for (size_t K = 1; Valid && K < Length; ++K)
      Valid = (static_cast<unsigned char>(Text[I + K]) & 0xC0) == 0x80;
    if (Length == 1 && (C < 0x20 || C == 0x7F))
      Valid = false;
    if (!Valid) {
      OS << "\\x" << llvm::format_hex_no_prefix(C, 2);
      ++I;
      continue;
    }
    OS << Text.substr(I, Length);
    I += Length;
  }
  if (I < Text.size())
    OS << "...";
  return Out;
}

} // namespace clang::tidy::mapguard
