// The private font set: fonts/fonts.list names every face Warraq may use; a fontconfig
// configuration holding only those files backs Pango, so the host's fonts never leak into
// a layout and a missing family is an error, not a substitute.
#include <fontconfig/fontconfig.h>
#include <pango/pangofc-font.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fonts_impl.hpp"

namespace warraq::typeset {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string path_key(const std::string& path, int index) {
  return path + "#" + std::to_string(index);
}

}  // namespace

FontSet::FontSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FontSet::~FontSet() {
  // Pango 1.50 keeps a copy of the configuration's font list that it frees only when the
  // configuration is replaced: detach it before the font map goes.
  if (impl_ && impl_->font_map)
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(impl_->font_map.get()), nullptr);
}

std::shared_ptr<FontSet> FontSet::twin() const {
  auto impl = std::make_unique<Impl>();
  impl->files = impl_->files;
  FcConfigReference(impl_->config.get());
  impl->config.reset(impl_->config.get());
  for (const auto& file : impl->files)
    impl->by_path[path_key(file.path.string(), file.index)] = &file;
  impl->font_map.reset(pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT));
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(impl->font_map.get()), impl->config.get());
  return std::shared_ptr<FontSet>(new FontSet(std::move(impl)));
}

void* FontSet::pango_font_map() const { return impl_->font_map.get(); }

std::shared_ptr<FontSet> FontSet::load(const std::filesystem::path& fonts_dir,
                                       model::Diagnostics& diagnostics) {
  const auto list_path = fonts_dir / "fonts.list";
  std::ifstream in(list_path);
  if (!in) {
    diagnostics.error("fonts-missing-list", {list_path.string()},
                      "cannot read the font list (expected fonts/fonts.list)");
    return nullptr;
  }
  auto impl = std::make_unique<Impl>();
  impl->config.reset(FcConfigCreate());

  std::string line;
  int line_number = 0;
  bool ok = true;
  while (std::getline(in, line)) {
    ++line_number;
    const auto content = trim(line.substr(0, line.find('#')));
    if (content.empty()) continue;
    std::vector<std::string> fields;
    std::stringstream ss(content);
    for (std::string field; std::getline(ss, field, '|');) fields.push_back(trim(field));
    const model::SourceLocation where{list_path.string(), line_number, 0};
    if (fields.size() != 4) {
      diagnostics.error("fonts-bad-line", where,
                        "expected 'family | style | package | file', got '" + content + "'");
      ok = false;
      continue;
    }
    if (!std::filesystem::exists(fields[3])) {
      diagnostics.error("font-file-missing", where,
                        "font file " + fields[3] + " of family '" + fields[0] +
                            "' is missing; install the Debian package " + fields[2] +
                            " (scripts/setup-deps.sh does)");
      ok = false;
      continue;
    }
    if (!FcConfigAppFontAddFile(impl->config.get(),
                                reinterpret_cast<const FcChar8*>(fields[3].c_str()))) {
      diagnostics.error("font-file-unreadable", where, "fontconfig cannot read " + fields[3]);
      ok = false;
      continue;
    }
    FontFile file;
    file.family = fields[0];
    file.style = fields[1];
    file.package = fields[2];
    file.path = fields[3];
    impl->files.push_back(std::move(file));
  }
  if (!ok) return nullptr;

  // Fill weight, slant and version from what fontconfig read out of each file, and check
  // that the family a line claims is the one the file declares.
  FcPatternPtr all(FcPatternCreate());
  FcObjectSetPtr objects(FcObjectSetBuild(FC_FAMILY, FC_STYLE, FC_FILE, FC_INDEX, FC_WEIGHT,
                                          FC_SLANT, FC_FONTVERSION, nullptr));
  FcFontSetPtr listed(FcFontList(impl->config.get(), all.get(), objects.get()));
  for (auto& file : impl->files) {
    bool found = false;
    for (int i = 0; listed && i < listed->nfont; ++i) {
      FcPattern* p = listed->fonts[i];
      FcChar8* path = nullptr;
      if (FcPatternGetString(p, FC_FILE, 0, &path) != FcResultMatch ||
          file.path != reinterpret_cast<const char*>(path))
        continue;
      found = true;
      int index = 0, weight = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN, version = 0;
      FcPatternGetInteger(p, FC_INDEX, 0, &index);
      FcPatternGetInteger(p, FC_WEIGHT, 0, &weight);
      FcPatternGetInteger(p, FC_SLANT, 0, &slant);
      FcPatternGetInteger(p, FC_FONTVERSION, 0, &version);
      file.index = index;
      file.weight = static_cast<int>(FcWeightToOpenType(weight));
      file.italic = slant != FC_SLANT_ROMAN;
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3f", version / 65536.0);
      file.version = buf;
      bool family_matches = false;
      FcChar8* family = nullptr;
      for (int k = 0; FcPatternGetString(p, FC_FAMILY, k, &family) == FcResultMatch; ++k)
        family_matches |= file.family == reinterpret_cast<const char*>(family);
      if (!family_matches)
        diagnostics.warning("font-family-mismatch", {list_path.string()},
                            file.path.string() + " does not declare family '" + file.family + "'");
    }
    if (!found) {
      diagnostics.error("font-file-unreadable", {list_path.string()},
                        "fontconfig found no face in " + file.path.string());
      ok = false;
    }
  }
  if (!ok) return nullptr;
  for (const auto& file : impl->files)
    impl->by_path[path_key(file.path.string(), file.index)] = &file;

  // The private configuration becomes fontconfig's current one before the first Pango font
  // map exists. Pango 1.50 starts a thread that calls FcInit() when a font map is created
  // and waits for it before the map lists its fonts; with no current configuration, FcInit
  // parses the host's /etc/fonts and loads its font caches (~4 ms of a core, waited for on
  // the main thread) for nothing, since the map reads only this configuration. As a side
  // effect, no fontconfig call that names no configuration can reach the host's fonts.
  FcConfigSetCurrent(impl->config.get());
  impl->font_map.reset(pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT));
  pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(impl->font_map.get()), impl->config.get());
  return std::shared_ptr<FontSet>(new FontSet(std::move(impl)));
}

const std::vector<FontFile>& FontSet::files() const { return impl_->files; }

bool FontSet::has_family(const std::string& family) const {
  return std::any_of(impl_->files.begin(), impl_->files.end(),
                     [&](const FontFile& f) { return f.family == family; });
}

std::optional<FontFile> FontSet::match(const std::string& family, int weight, bool italic) const {
  const FontFile* best = nullptr;
  int best_score = 0;
  for (const auto& f : impl_->files) {
    if (f.family != family) continue;
    const int score = std::abs(f.weight - weight) + (f.italic != italic ? 1000 : 0);
    if (!best || score < best_score) {
      best = &f;
      best_score = score;
    }
  }
  if (!best) return std::nullopt;
  return *best;
}

bool FontSet::check_layout(const model::Layout& layout, model::Diagnostics& diagnostics) const {
  bool ok = true;
  auto require = [&](const std::string& family, const std::string& what) {
    if (family.empty() || has_family(family)) return;
    diagnostics.error("font-family-missing", layout.where,
                      "font family '" + family + "' (" + what +
                          ") is not in fonts/fonts.list; no substitute is used");
    ok = false;
  };
  for (const auto& [name, role] : layout.roles) require(role.family, "role " + name);
  require(layout.latin_family, "Latin face");
  require(layout.epub_body_family, "EPUB body");
  return ok;
}

const FontFile* FontSet::Impl::file_of(PangoFont* font) const {
  if (!PANGO_IS_FC_FONT(font)) return nullptr;
  FcPattern* pattern = pango_fc_font_get_pattern(PANGO_FC_FONT(font));
  FcChar8* path = nullptr;
  int index = 0;
  if (FcPatternGetString(pattern, FC_FILE, 0, &path) != FcResultMatch) return nullptr;
  FcPatternGetInteger(pattern, FC_INDEX, 0, &index);
  const auto it = by_path.find(path_key(reinterpret_cast<const char*>(path), index));
  return it == by_path.end() ? nullptr : it->second;
}

}  // namespace warraq::typeset
