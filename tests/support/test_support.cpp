#include "support/test_support.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace warraq::test {

std::filesystem::path source_dir() { return WARRAQ_SOURCE_DIR; }
std::filesystem::path shared_dir() { return WARRAQ_SHARED_DIR; }
std::filesystem::path warraq_binary() { return WARRAQ_BINARY; }

std::filesystem::path scratch_dir(const std::string& name) {
  std::string safe;
  for (char c : name) safe += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  const auto dir = std::filesystem::path(WARRAQ_TEST_TMP) / safe;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

namespace {

std::string drain(int fd) {
  std::string data;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      data.append(buf, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  return data;
}

}  // namespace

RunResult run(const std::vector<std::string>& argv) {
  // Output goes to temporary files rather than pipes so a chatty child can never block.
  char out_name[] = "/tmp/warraq-test-out-XXXXXX";
  char err_name[] = "/tmp/warraq-test-err-XXXXXX";
  const int out_fd = ::mkstemp(out_name);
  const int err_fd = ::mkstemp(err_name);
  if (out_fd < 0 || err_fd < 0) throw std::runtime_error("mkstemp failed");
  ::unlink(out_name);
  ::unlink(err_name);

  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  RunResult result;
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  ::lseek(out_fd, 0, SEEK_SET);
  ::lseek(err_fd, 0, SEEK_SET);
  result.out = drain(out_fd);
  result.err = drain(err_fd);
  ::close(out_fd);
  ::close(err_fd);
  return result;
}

RunResult run_warraq(const std::vector<std::string>& args) {
  std::vector<std::string> argv{warraq_binary().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(word);
    word.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      flush();
      ++i;
    } else if (text.compare(i, 2, "\u00a0") == 0) {
      flush();
      i += 2;
    } else if (text.compare(i, 3, "\u2028") == 0 || text.compare(i, 3, "\u2029") == 0 ||
               text.compare(i, 3, "\u202A") == 0 || text.compare(i, 3, "\u202B") == 0 ||
               text.compare(i, 3, "\u202C") == 0) {
      // poppler wraps runs in embeddings and may leave no space between a run's end mark and
      // the next word, so the marks separate words too.
      flush();
      i += 3;
    } else {
      word += text[i];
      ++i;
    }
  }
  flush();
  return words;
}

}  // namespace warraq::test

namespace warraq::test {

std::string normalize_word(const std::string& word) {
  static const char* const controls[] = {"\u200B", "\u200C", "\u200D", "\u200E", "\u200F",
                                         "\u202A", "\u202B", "\u202C", "\u202D", "\u202E",
                                         "\u2066", "\u2067", "\u2068", "\u2069", "\u061C"};
  std::string out = word;
  for (const char* c : controls) {
    for (auto pos = out.find(c); pos != std::string::npos; pos = out.find(c))
      out.erase(pos, std::strlen(c));
  }
  // Lenient comparison: harakat and tatweel are folded, as in the extraction measure.
  static const char* const folded[] = {"\u064B", "\u064C", "\u064D", "\u064E", "\u064F",
                                       "\u0650", "\u0651", "\u0652", "\u0670", "\u0640"};
  for (const char* c : folded) {
    for (auto pos = out.find(c); pos != std::string::npos; pos = out.find(c))
      out.erase(pos, std::strlen(c));
  }
  static const char* const edges[] = {"«", "»", "،", "؛", "؟", "\"", "'", "(", ")", "[", "]",
                                      ".", ",", ":", ";", "!", "?",  "“", "”", "—", "–", "-"};
  for (bool changed = true; changed && !out.empty();) {
    changed = false;
    for (const char* e : edges) {
      const std::size_t n = std::strlen(e);
      if (out.size() >= n && out.compare(0, n, e) == 0) {
        out.erase(0, n);
        changed = true;
      }
      if (out.size() >= n && out.compare(out.size() - n, n, e) == 0) {
        out.erase(out.size() - n);
        changed = true;
      }
    }
  }
  return out;
}

WordScore score_words(const std::string& source, const std::string& extracted) {
  std::vector<std::string> src, got;
  for (const auto& w : split_words(source))
    if (auto n = normalize_word(w); !n.empty()) src.push_back(n);
  for (const auto& w : split_words(extracted))
    if (auto n = normalize_word(w); !n.empty()) got.push_back(n);

  std::map<std::string, int> wanted;
  for (const auto& w : src) ++wanted[w];
  // Re-join pieces: a token that is not a source word, merged with the next one or two, when
  // the result is.
  std::vector<std::string> joined;
  for (std::size_t i = 0; i < got.size(); ++i) {
    std::string w = got[i];
    if (!wanted.count(w)) {
      for (std::size_t k = 1; k <= 3 && i + k < got.size(); ++k) {
        std::string candidate = w;
        for (std::size_t m = 1; m <= k; ++m) candidate += got[i + m];
        if (wanted.count(candidate)) {
          w = candidate;
          i += k;
          break;
        }
      }
    }
    joined.push_back(w);
  }
  std::map<std::string, int> have;
  for (const auto& w : joined) ++have[w];
  std::size_t found = 0;
  WordScore score;
  for (const auto& [w, n] : wanted) {
    const int h = have.count(w) ? have[w] : 0;
    found += static_cast<std::size_t>(std::min(n, h));
    if (h < n && score.missing.size() < 10) score.missing.push_back(w);
  }
  std::map<std::pair<std::string, std::string>, int> adjacent;
  for (std::size_t i = 0; i + 1 < joined.size(); ++i) ++adjacent[{joined[i], joined[i + 1]}];
  std::size_t pairs_found = 0;
  for (std::size_t i = 0; i + 1 < src.size(); ++i) {
    auto it = adjacent.find({src[i], src[i + 1]});
    if (it != adjacent.end() && it->second > 0) {
      --it->second;
      ++pairs_found;
    }
  }
  score.source_words = src.size();
  score.intact =
      src.empty() ? 0 : 100.0 * static_cast<double>(found) / static_cast<double>(src.size());
  score.pairs = src.size() < 2 ? 0
                               : 100.0 * static_cast<double>(pairs_found) /
                                     static_cast<double>(src.size() - 1);
  return score;
}

}  // namespace warraq::test
