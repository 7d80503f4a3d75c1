// FontSet's insides, shared by the files of the typeset stage.
#pragma once

#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include <map>
#include <mutex>

#include "handles.hpp"
#include "typeset/typeset.hpp"

namespace warraq::typeset {

struct FontSet::Impl {
  std::vector<FontFile> files;
  FcConfigPtr config;
  GObjectPtr<PangoFontMap> font_map;
  std::map<std::string, const FontFile*> by_path;  // "path#index" -> file
  std::mutex mutex;  // Pango font maps are not safe to share between threads unguarded

  const FontFile* file_of(PangoFont* font) const;
};

}  // namespace warraq::typeset
