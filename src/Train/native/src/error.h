// SearchRerank training engine — internal error type; api.cpp turns it into srt_status.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

#include "srtrain.h"

namespace srt {

// Carries the srt_code and the C++ location that detected the problem.
class Error : public std::runtime_error {
 public:
  Error(srt_code code, const std::string& message, const char* file, int line)
      : std::runtime_error(message), code_(code), file_(file), line_(line) {}
  srt_code code() const { return code_; }
  const char* file() const { return file_; }
  int line() const { return line_; }

 private:
  srt_code code_;
  const char* file_;
  int line_;
};

template <class... Parts>
std::string cat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}

}  // namespace srt

#define SRT_FAIL(code, ...) throw ::srt::Error((code), ::srt::cat(__VA_ARGS__), __FILE__, __LINE__)
#define SRT_CHECK(condition, code, ...) \
  do {                                  \
    if (!(condition)) SRT_FAIL(code, __VA_ARGS__); \
  } while (0)
