// All-or-nothing output files (engine/io): the target appears only complete, an earlier
// file survives a failed write, and nothing temporary is left behind.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "io/io.hpp"
#include "support/test_support.hpp"

using namespace warraq;
namespace fs = std::filesystem;

namespace {

int entries(const fs::path& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST_CASE("write_file replaces the target whole and leaves no temporary file", "[io]") {
  const auto dir = test::scratch_dir("io-write");
  const auto target = dir / "edition.pdf";
  std::string error;
  REQUIRE(io::write_file(target, "first", error));
  CHECK(test::read_file(target) == "first");
  REQUIRE(io::write_file(target, "second, longer", error));
  CHECK(test::read_file(target) == "second, longer");
  CHECK(entries(dir) == 1);
  struct stat st {};
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);
}

TEST_CASE("an AtomicFile dropped without commit leaves the old target as it was", "[io]") {
  const auto dir = test::scratch_dir("io-abandon");
  const auto target = dir / "digest.epub";
  std::string error;
  REQUIRE(io::write_file(target, "published", error));
  {
    io::AtomicFile file(target);
    REQUIRE(file.stream());
    REQUIRE(file.write("half a boo"));
    CHECK(entries(dir) == 2);  // the target and the temporary file beside it
  }
  CHECK(test::read_file(target) == "published");
  CHECK(entries(dir) == 1);
}

TEST_CASE("a folder that cannot be written gives an error naming it", "[io]") {
  const auto dir = test::scratch_dir("io-missing");
  const auto target = dir / "no-such-folder" / "edition.pdf";
  std::string error;
  CHECK_FALSE(io::write_file(target, "x", error));
  CHECK_THAT(error, Catch::Contains("no-such-folder"));
  CHECK_FALSE(fs::exists(target));
  io::AtomicFile file(target);
  CHECK(file.stream() == nullptr);
  CHECK_FALSE(file.commit());
  CHECK_FALSE(file.error().empty());
}
