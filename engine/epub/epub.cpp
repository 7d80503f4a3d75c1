// write_epub: the EPUB stage's pipeline. A pure function of (edition, layout, fonts,
// options): no clock, no host fonts, no file-system order, so the same input gives the same
// bytes (DESIGN.md, EPUB).
#include "epub.hpp"

#include <map>
#include <optional>

#include "digest.hpp"
#include "io/io.hpp"
#include "work_queue.hpp"
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

  // 2. Two threads share the work from here. The second draws the cover while this one
  // writes the documents, collecting the code points they show; then each font subset, each
  // band of the cover's PNG and each document to deflate is a job that either thread takes
  // (WorkQueue), heavy ones first. The two share only read-only data (the plan, the font
  // set) and each job writes its own slot, so the bytes never depend on which thread did
  // what. Each part keeps its diagnostics apart; they are reported in the order of the
  // one-thread pipeline: cover, articles, fonts. The cover uses a twin of the font set (its
  // own Pango font map over the same fontconfig configuration).
  plan.has_cover = true;  // until the cover fails; draw_cover does not read it
  // Everything a job reads or writes is declared before the queue and the second thread,
  // so that it outlives both, even when an exception unwinds this function.
  std::optional<Cover> cover;
  model::Diagnostics cover_diagnostics;
  CodePoints shown;
  ImageStore images;
  model::Diagnostics article_diagnostics;
  std::vector<Resource> articles;
  std::string nav;
  std::string ncx;
  std::vector<FontJob> font_jobs;
  std::vector<const std::string*> texts;
  std::vector<std::optional<Deflated>> deflated;
  WorkQueue work(2);
  SecondThread second([&] {
    WorkQueue::Producer producing(work);
    cover = draw_cover(plan, fonts, cover_diagnostics);
    if (cover)
      for (std::size_t band = 0; band < cover->band_count(); ++band)
        work.push([&, band] { cover->encode_band(band); }, WorkQueue::Weight::heavy);
    producing.done();
    work.work();
  });
  WorkQueue::Producer producing(work);

  // 3. Content documents, gathering every code point they show for font subsetting. The
  // navigation document is written as if the cover will be there (its landmark points at
  // the cover page); it is written again without that entry if the cover fails.
  DateTexts dates;
  for (const auto& entry : plan.articles)
    articles.push_back({entry.href,
                        entry.id,
                        "application/xhtml+xml",
                        {},
                        article_document(plan, entry, images, dates, shown, article_diagnostics)});
  nav = nav_document(plan, shown);
  ncx = ncx_document(plan);

  // 4. Jobs: the fonts the stylesheet names, subset to the text and deflated (the heaviest
  // jobs), then the NCX, the navigation and the articles, deflated. Compression settings
  // depend on the kind and size of an entry only (deflate_entry).
  if (options.embed_fonts) font_jobs = plan_fonts(plan, fonts);
  for (FontJob& job : font_jobs)
    work.push([&shown, &job] { subset_font(shown, job); }, WorkQueue::Weight::heavy);
  texts = {&ncx, &nav};
  for (const auto& article : articles) texts.push_back(&article.bytes);
  deflated.resize(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i)
    work.push([&, i] { deflated[i] = deflate_entry(*texts[i], Content::markup); },
              WorkQueue::Weight::light);
  producing.done();
  work.work();
  second.join();

  // 5. The results, in the one-thread pipeline's order; the stylesheet names the fonts.
  model::Diagnostics font_diagnostics;
  std::vector<EmbeddedFont> embedded = embedded_fonts(plan, font_jobs, font_diagnostics);
  std::optional<std::string> cover_png;
  if (cover) {
    cover_png = cover->png();
    if (!cover_png)
      cover_diagnostics.warning("epub-cover", layout.where,
                                "cannot encode the cover as PNG; the EPUB has no cover");
  }
  for (const auto* part : {&cover_diagnostics, &article_diagnostics, &font_diagnostics})
    for (const auto& d : part->all()) diagnostics.add(d);
  if (diagnostics.error_count() > errors_before) return false;
  plan.has_cover = cover_png.has_value();
  if (!cover_png) {
    CodePoints unused;
    nav = nav_document(plan, unused);
    deflated[1].reset();  // deflated again below, without the cover's entry
  }
  // Deflated early, by whichever thread: entry name → its data.
  std::map<std::string, Deflated*> early;
  const auto keep = [&](const std::string& name, std::optional<Deflated>& entry) {
    if (entry) early.emplace(name, &*entry);
  };
  keep("OEBPS/toc.ncx", deflated[0]);
  keep("OEBPS/nav.xhtml", deflated[1]);
  for (std::size_t i = 0; i < articles.size(); ++i)
    keep("OEBPS/" + articles[i].href, deflated[i + 2]);
  const Resource css{
      std::string(stylesheet_href), "css", "text/css", {}, stylesheet(plan, embedded)};

  std::vector<Resource> documents;
  if (cover_png) {
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
  if (cover_png)
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
  // An entry deflated early is added as it is; any other is deflated here.
  const auto deflated_entry = [&](const std::string& name, std::string bytes) {
    const auto found = early.find(name);
    return found != early.end() ? zip.add_deflated(name, std::move(*found->second))
                                : zip.add(name, std::move(bytes), Method::deflate);
  };
  bool ok = zip.ok() && zip.add("mimetype", "application/epub+zip", Method::store) &&
            deflated_entry("META-INF/container.xml", container_document()) &&
            deflated_entry("OEBPS/content.opf", package_document(plan, manifest, spine)) &&
            deflated_entry("OEBPS/toc.ncx", ncx) && deflated_entry("OEBPS/" + css.href, css.bytes);
  for (auto& d : documents) ok = ok && deflated_entry("OEBPS/" + d.href, std::move(d.bytes));
  // PNG and JPEG are compressed already; deflating them again only costs time.
  if (cover_png) ok = ok && zip.add("OEBPS/images/cover.png", std::move(*cover_png), Method::store);
  for (auto& image : images.resources())
    ok = ok && zip.add("OEBPS/" + image.href, std::move(image.bytes), Method::store);
  std::uintmax_t whole = 0, subset = 0;
  for (auto& font : embedded) {
    whole += font.whole_bytes;
    subset += font.resource.bytes.size();
    ok = ok && zip.add_deflated("OEBPS/" + font.resource.href, std::move(font.deflated));
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
