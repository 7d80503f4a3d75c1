// Embedded fonts: the faces the stylesheet selects, resolved only through the font set
// (fonts/fonts.list), subset with hb-subset to the code points the digest shows. A digest
// of a day's news uses a few hundred characters; the whole Amiri family is 2 MB.
//
// hb-subset keeps the OpenType layout closure of those characters (GSUB/GPOS: the Arabic
// init/medi/fina/isol forms, ligatures such as lam-alef, mark positioning), so text shapes
// in the subset exactly as in the whole font.
#include <hb-subset.h>
#include <hb.h>

#include <algorithm>
#include <map>
#include <memory>

#include "digest.hpp"

namespace warraq::epub {

namespace {

struct HbRelease {
  void operator()(hb_blob_t* b) const { hb_blob_destroy(b); }
  void operator()(hb_face_t* f) const { hb_face_destroy(f); }
  void operator()(hb_subset_input_t* i) const { hb_subset_input_destroy(i); }
};
using Blob = std::unique_ptr<hb_blob_t, HbRelease>;
using Face = std::unique_ptr<hb_face_t, HbRelease>;
using SubsetInput = std::unique_ptr<hb_subset_input_t, HbRelease>;

// Characters a reading system may need although the text does not hold them: the space
// (collected text skips white space), no-break space, tatweel (kashida justification in
// reading systems that do it), the bidi marks and joiners.
constexpr char32_t always[] = {0x20, 0xA0, 0x640, 0x200C, 0x200D, 0x200E, 0x200F};

std::optional<std::string> subset(const typeset::FontFile& file, const CodePoints& shown,
                                  std::string& error) {
  Blob blob(hb_blob_create_from_file_or_fail(file.path.c_str()));
  if (!blob) {
    error = "cannot read " + file.path.string();
    return std::nullopt;
  }
  Face face(hb_face_create(blob.get(), static_cast<unsigned>(file.index)));
  SubsetInput input(hb_subset_input_create_or_fail());
  if (!input) {
    error = "cannot allocate a subset plan";
    return std::nullopt;
  }
  hb_set_t* unicodes = hb_subset_input_unicode_set(input.get());
  for (char32_t c : shown) hb_set_add(unicodes, static_cast<hb_codepoint_t>(c));
  for (char32_t c : always) hb_set_add(unicodes, static_cast<hb_codepoint_t>(c));
  // Keep every name record: the copyright and licence (name IDs 0, 13, 14) must travel
  // with an OFL font, subset or not (SIL OFL 1.1, condition 2). The input's sets start as
  // hb-subset's defaults (IDs 0-6, English); emptied, then inverted, they hold everything.
  for (const auto which : {HB_SUBSET_SETS_NAME_ID, HB_SUBSET_SETS_NAME_LANG_ID}) {
    hb_set_t* set = hb_subset_input_set(input.get(), which);
    hb_set_clear(set);
    hb_set_invert(set);
  }
  Face result(hb_subset_or_fail(face.get(), input.get()));
  if (!result) {
    error = "hb-subset failed on " + file.path.string();
    return std::nullopt;
  }
  Blob out(hb_face_reference_blob(result.get()));
  unsigned length = 0;
  const char* data = hb_blob_get_data(out.get(), &length);
  if (!data || length == 0) {
    error = "hb-subset produced nothing for " + file.path.string();
    return std::nullopt;
  }
  return std::string(data, length);
}

std::string safe_file_name(const std::string& stem) {
  std::string out;
  for (char c : stem)
    out += ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_')
               ? c
               : '-';
  return out.empty() ? "font" : out;
}

}  // namespace

std::vector<FontJob> plan_fonts(const Plan& plan, const typeset::FontSet& fonts) {
  std::vector<FontJob> jobs;
  std::map<std::string, std::size_t> by_file;  // path#index → job
  for (const FaceRequest& request : stylesheet_faces(plan)) {
    FontJob job;
    job.request = request;
    job.file = fonts.match(request.family, request.weight, request.italic);
    if (job.file) {
      const std::string key = job.file->path.string() + "#" + std::to_string(job.file->index);
      if (by_file.count(key)) continue;  // one @font-face per file, with the file's own style
      by_file.emplace(key, jobs.size());
    }
    jobs.push_back(std::move(job));
  }
  return jobs;
}

void subset_font(const CodePoints& shown, FontJob& job) {
  if (!job.file) return;
  job.bytes = subset(*job.file, shown, job.error);
  if (job.bytes) {
    job.deflated = deflate_entry(*job.bytes, Content::font);
    if (!job.deflated) job.error = "cannot deflate the subset of " + job.file->path.string();
  }
}

std::vector<EmbeddedFont> embedded_fonts(const Plan& plan, std::vector<FontJob>& jobs,
                                         model::Diagnostics& diagnostics) {
  const model::SourceLocation where = plan.layout->where;
  std::vector<EmbeddedFont> embedded;
  for (FontJob& job : jobs) {
    if (!job.file) {
      diagnostics.error("font-family-missing", where,
                        "font family '" + job.request.family +
                            "' (EPUB stylesheet) is not in fonts/fonts.list; no substitute "
                            "is used");
      continue;
    }
    if (!job.bytes || !job.deflated) {
      diagnostics.error("font-subset", where, job.error);
      continue;
    }
    const typeset::FontFile& file = *job.file;
    EmbeddedFont font;
    font.family = file.family;
    font.weight = file.weight;
    font.italic = file.italic;
    std::error_code ec;
    font.whole_bytes = std::filesystem::file_size(file.path, ec);
    if (ec) font.whole_bytes = 0;
    // An sfnt with CFF outlines starts with 'OTTO'; TrueType outlines with 0x00010000.
    const bool cff = job.bytes->rfind("OTTO", 0) == 0;
    font.resource.id = "font-" + std::to_string(embedded.size() + 1);
    std::string name = safe_file_name(file.path.stem().string());
    for (const auto& other : embedded)
      if (other.resource.href.rfind("fonts/" + name + ".", 0) == 0)
        name += "-" + std::to_string(embedded.size() + 1);  // same stem, another folder
    font.resource.href = "fonts/" + name + (cff ? ".otf" : ".ttf");
    font.resource.media_type = cff ? "font/otf" : "font/ttf";
    font.resource.bytes = std::move(*job.bytes);
    font.deflated = std::move(*job.deflated);
    embedded.push_back(std::move(font));
  }
  return embedded;
}

}  // namespace warraq::epub
