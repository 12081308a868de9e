// iamd_gen_catalog SOURCE.json OUTPUT.cc: compiles the AWS managed policies catalog (a JSON array,
// see internal/catalog_source.h) into the C++ table behind catalog.h. The build runs it; on bad
// input it prints "SOURCE.json: error: ..." and exits 1, which fails the build.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "managed/internal/catalog_source.h"
#include "managed/internal/catalog_writer.h"

namespace {

int Fail(const std::string& message) {
  std::cerr << message << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return Fail("usage: iamd_gen_catalog SOURCE.json OUTPUT.cc");
  const std::string source = argv[1];
  const std::filesystem::path output = argv[2];

  std::ifstream in(source, std::ios::binary);
  if (!in) return Fail(source + ": error: cannot open: " + std::strerror(errno));
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return Fail(source + ": error: cannot read: " + std::strerror(errno));

  auto policies = iamd::managed::internal::ReadCatalogSource(text);
  if (!policies) return Fail(source + ": error: " + policies.error());
  std::string cc = iamd::managed::internal::WriteCatalogCc(
      *policies, std::filesystem::path(source).filename().string());

  // Write aside and rename, so a failed run never leaves a half-written table behind.
  std::filesystem::path temporary = output;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << cc;
    out.close();
    if (!out) return Fail(temporary.string() + ": error: cannot write");
  }
  std::error_code ec;
  std::filesystem::rename(temporary, output, ec);
  if (ec) return Fail(output.string() + ": error: cannot rename: " + ec.message());
  return 0;
}
