// write_epub: the EPUB stage's pipeline. A pure function of (edition, layout, fonts,
// options): no clock, no host fonts, no file-system order, so the same input gives the same
// bytes (DESIGN.md, EPUB).
#include "epub.hpp"

#include <future>
#include <map>
#include <optional>

#include "digest.hpp"
#include "io/io.hpp"
#include "zip_archive.hpp"

namespace warraq::epub {

bool write_epub(const model::Edition& edition, const model::Layout& layout,
                const typeset::FontSet& fonts, const Options& options,
                const std::filesystem::path& output, model::Diagnostics& diagnostics,
                Result* result) {
  const model::SourceLocation at_output{output.string(), 0, 0};
  const std::size_t errors_before = diagnostics.error_count();
  if (edition.article_count() == 0) {
    diagnostics.error("epub-empty", edition.where,
                      "the edition has no articles; an EPUB needs at least one");
    return false;
  }

  // 1. Plan: language, direction, digits, identifier, one file per article.
  Plan plan =
      make_plan(edition, layout, options.digits.value_or(layout.digits), options.modified_time);

  // 2. The cover image, drawn on a second thread while this one writes the documents and
  // subsets the fonts: the two share only read-only data (the plan's text, the font set's
  // file list). Each part keeps its diagnostics apart until the cover is in, and they are
  // then reported in the order of the one-thread pipeline: cover, articles, fonts. The
  // cover's Pango font map and fontconfig configuration are its own.
  plan.has_cover = true;  // until the cover thread says otherwise; draw_cover does not read it
  model::Diagnostics cover_diagnostics;
  std::future<std::optional<Cover>> drawing =
      std::async(std::launch::async, [&] { return draw_cover(plan, fonts, cover_diagnostics); });

  // 3. Content documents, gathering every code point they show for font subsetting. The
  // navigation document is written as if the cover will be there (its landmark points at
  // the cover page); it is written again without that entry if the cover fails.
  CodePoints shown;
  ImageStore images;
  model::Diagnostics article_diagnostics;
  std::vector<Resource> articles;
  for (const auto& entry : plan.articles)
    articles.push_back({entry.href,
                        entry.id,
                        "application/xhtml+xml",
                        {},
                        article_document(plan, entry, images, shown, article_diagnostics)});
  std::string nav = nav_document(plan, shown);

  // 4. Fonts the stylesheet names, subset to the text.
  model::Diagnostics font_diagnostics;
  std::vector<EmbeddedFont> embedded;
  if (options.embed_fonts) embedded = embed_fonts(plan, fonts, shown, font_diagnostics);

  // 5. While the cover is still being drawn, deflate what does not depend on it (the NCX,
  // the stylesheet, the XHTML, the fonts) into a scratch archive; the book's archive then
  // copies those entries as they are, so this thread's wait for the cover is spent
  // compressing. Same zlib, same level, same bytes as deflating them in the book's archive.
  const Resource css{
      std::string(stylesheet_href), "css", "text/css", {}, stylesheet(plan, embedded)};
  const std::string ncx = ncx_document(plan);
  std::map<std::string, std::uint64_t> early_index;  // entry name → index in `early`
  std::optional<ZipArchive::Reader> early;
  if (font_diagnostics.error_count() == 0) {
    ZipArchive scratch(options.modified_time);
    bool fine = scratch.ok();
    const auto put = [&](const std::string& name, const std::string& bytes) {
      fine = fine && scratch.add(name, bytes, ZipArchive::Method::deflate);
      early_index.emplace(name, early_index.size());
    };
    put("OEBPS/toc.ncx", ncx);
    put("OEBPS/" + css.href, css.bytes);
    put("OEBPS/nav.xhtml", nav);
    for (const auto& article : articles) put("OEBPS/" + article.href, article.bytes);
    for (const auto& font : embedded) put("OEBPS/" + font.resource.href, font.resource.bytes);
    std::optional<std::string> scratch_bytes = fine ? scratch.finish() : std::nullopt;
    if (scratch_bytes) early.emplace(std::move(*scratch_bytes));
    if (!early || !early->ok()) {  // not fatal: the book's archive deflates them itself
      early.reset();
      early_index.clear();
    }
  }

  std::optional<Cover> cover = drawing.get();
  for (const auto* part : {&cover_diagnostics, &article_diagnostics, &font_diagnostics})
    for (const auto& d : part->all()) diagnostics.add(d);
  if (diagnostics.error_count() > errors_before) return false;
  plan.has_cover = cover.has_value();
  if (!cover) {
    CodePoints unused;
    nav = nav_document(plan, unused);
    early_index.erase("OEBPS/nav.xhtml");
  }

  std::vector<Resource> documents;
  if (cover) {
    documents.push_back({"cover.xhtml",
                         "cover",
                         "application/xhtml+xml",
                         {},
                         cover_document(plan, "images/cover.png", cover->alt)});
  }
  documents.push_back({"nav.xhtml", "nav", "application/xhtml+xml", "nav", std::move(nav)});
  for (auto& article : articles) documents.push_back(std::move(article));

  // 6. Manifest and spine: reading order cover, contents, articles.
  std::vector<Resource> manifest;
  std::vector<std::string> spine;
  for (const auto& d : documents) {
    manifest.push_back({d.href, d.id, d.media_type, d.properties, {}});
    spine.push_back(d.id);
  }
  manifest.push_back({"toc.ncx", "ncx", "application/x-dtbncx+xml", {}, {}});
  manifest.push_back({css.href, css.id, css.media_type, {}, {}});
  if (cover)
    manifest.push_back({"images/cover.png", "cover-image", "image/png", "cover-image", {}});
  for (const auto& image : images.resources())
    manifest.push_back({image.href, image.id, image.media_type, {}, {}});
  for (const auto& font : embedded)
    manifest.push_back({font.resource.href, font.resource.id, font.resource.media_type, {}, {}});

  // 7. The archive, entries in a fixed order: mimetype first and stored (OCF 3.3 §4.3),
  // then the container, the package documents, the stylesheet, the XHTML in reading
  // order, images and fonts.
  ZipArchive zip(options.modified_time);
  using Method = ZipArchive::Method;
  // An entry deflated early is copied from the scratch archive; any other is deflated here.
  const auto deflated = [&](const std::string& name, std::string bytes) {
    const auto found = early_index.find(name);
    return found != early_index.end() ? zip.add_compressed(name, *early, found->second)
                                      : zip.add(name, std::move(bytes), Method::deflate);
  };
  bool ok = zip.ok() && zip.add("mimetype", "application/epub+zip", Method::store) &&
            deflated("META-INF/container.xml", container_document()) &&
            deflated("OEBPS/content.opf", package_document(plan, manifest, spine)) &&
            deflated("OEBPS/toc.ncx", ncx) && deflated("OEBPS/" + css.href, css.bytes);
  for (auto& d : documents) ok = ok && deflated("OEBPS/" + d.href, std::move(d.bytes));
  // PNG and JPEG are compressed already; deflating them again only costs time.
  if (cover) ok = ok && zip.add("OEBPS/images/cover.png", std::move(cover->png), Method::store);
  for (auto& image : images.resources())
    ok = ok && zip.add("OEBPS/" + image.href, std::move(image.bytes), Method::store);
  std::uintmax_t whole = 0, subset = 0;
  for (auto& font : embedded) {
    whole += font.whole_bytes;
    subset += font.resource.bytes.size();
    ok = ok && deflated("OEBPS/" + font.resource.href, std::move(font.resource.bytes));
  }
  std::optional<std::string> bytes = ok ? zip.finish() : std::nullopt;
  if (!bytes) {
    diagnostics.error("epub-archive", at_output, "cannot build the EPUB archive: " + zip.error());
    return false;
  }

  // 8. Atomic write: a temporary file beside the target, renamed when complete.
  std::string error;
  if (!io::write_file(output, *bytes, error)) {
    diagnostics.error("epub-write", at_output, error);
    return false;
  }
  if (result) {
    result->documents = documents.size();
    result->font_bytes_whole = whole;
    result->font_bytes_subset = subset;
  }
  return true;
}

}  // namespace warraq::epub
