// The package documents: OCF container, OPF package document, EPUB 2 NCX.
#include "digest.hpp"

namespace warraq::epub {

std::string container_document() {
  // OCF 3.3 §4.2.6.3.1: META-INF/container.xml names the package document.
  XmlWriter w(XmlWriter::Mode::xml);
  w.prolog();
  w.open("container",
         {{"version", "1.0"}, {"xmlns", "urn:oasis:names:tc:opendocument:xmlns:container"}});
  w.open("rootfiles");
  w.empty("rootfile",
          {{"full-path", "OEBPS/content.opf"}, {"media-type", "application/oebps-package+xml"}});
  w.close("rootfiles");
  w.close("container");
  return w.finish();
}

std::string package_document(const Plan& plan, const std::vector<Resource>& manifest,
                             const std::vector<std::string>& spine_ids) {
  const model::Edition& edition = *plan.edition;
  XmlWriter w(XmlWriter::Mode::xml);
  w.prolog();
  w.open("package", {{"xmlns", "http://www.idpf.org/2007/opf"},
                     {"version", "3.0"},
                     {"unique-identifier", "pub-id"},
                     {"xml:lang", plan.lang},
                     {"dir", plan.dir}});

  w.open("metadata", {{"xmlns:dc", "http://purl.org/dc/elements/1.1/"}});
  w.element("dc:identifier", plan.identifier, {{"id", "pub-id"}});
  w.element("dc:title", plan.title.empty() ? edition.date.iso() : plan.title, {{"id", "title"}});
  w.element("dc:language", plan.lang);
  w.element("dc:date", edition.date.iso());
  if (!edition.publisher.empty()) w.element("dc:publisher", edition.publisher);
  // EPUB 3.3 §5.5.6: the last-modified date, from the options, never the clock.
  w.element("meta", plan.modified, {{"property", "dcterms:modified"}});

  // EPUB Accessibility 1.1 §5.1 discovery metadata (schema.org terms; "schema" is a
  // reserved prefix in EPUB 3, so it needs no declaration).
  bool images = plan.has_cover;
  for (const auto& r : manifest) images = images || r.media_type.rfind("image/", 0) == 0;
  const auto schema = [&](std::string_view property, std::string_view value) {
    w.element("meta", value, {{"property", "schema:" + std::string(property)}});
  };
  schema("accessMode", "textual");
  if (images) schema("accessMode", "visual");
  schema("accessModeSufficient", "textual");
  schema("accessibilityFeature", "structuralNavigation");
  schema("accessibilityFeature", "tableOfContents");
  schema("accessibilityFeature", "readingOrder");
  if (images) schema("accessibilityFeature", "alternativeText");
  schema("accessibilityHazard", "none");
  schema("accessibilitySummary", plan.labels->summary);
  for (const auto& r : manifest)
    if (r.properties == "cover-image") w.empty("meta", {{"name", "cover"}, {"content", r.id}});
  w.close("metadata");

  w.open("manifest");
  for (const auto& r : manifest) {
    Attributes a{{"id", r.id}, {"href", r.href}, {"media-type", r.media_type}};
    if (!r.properties.empty()) a.push_back({"properties", r.properties});
    w.empty("item", a);
  }
  w.close("manifest");

  // EPUB 3.3 §5.7.1: page-progression-direction tells the reading system which way the
  // pages turn; an Arabic book opens from the right.
  w.open("spine", {{"toc", "ncx"}, {"page-progression-direction", plan.dir}});
  for (const auto& id : spine_ids) w.empty("itemref", {{"idref", id}});
  w.close("spine");
  w.close("package");
  return w.finish();
}

std::string ncx_document(const Plan& plan) {
  // The NCX (OPF 2.0.1 §2.4.1) is what EPUB 2 reading systems navigate by; EPUB 3 keeps
  // it as an allowed legacy feature. Its uid must equal the package identifier.
  bool nested = false;
  for (const auto& s : plan.sections) nested = nested || !s.name.empty();
  XmlWriter w(XmlWriter::Mode::xml);
  w.prolog();
  w.open("ncx", {{"xmlns", "http://www.daisy.org/z3986/2005/ncx/"},
                 {"version", "2005-1"},
                 {"xml:lang", plan.lang}});
  w.open("head");
  w.empty("meta", {{"name", "dtb:uid"}, {"content", plan.identifier}});
  w.empty("meta", {{"name", "dtb:depth"}, {"content", nested ? "2" : "1"}});
  w.empty("meta", {{"name", "dtb:totalPageCount"}, {"content", "0"}});
  w.empty("meta", {{"name", "dtb:maxPageNumber"}, {"content", "0"}});
  w.close("head");
  w.open("docTitle");
  w.element("text", plan.title.empty() ? plan.edition->date.iso() : plan.title);
  w.close("docTitle");
  w.open("navMap");
  int order = 0;
  const auto point = [&](std::string_view label, const std::string& src) {
    ++order;
    w.open("navPoint",
           {{"id", "nav-" + std::to_string(order)}, {"playOrder", std::to_string(order)}});
    w.open("navLabel");
    w.element("text", label);
    w.close("navLabel");
    w.empty("content", {{"src", src}});
  };
  for (const auto& section : plan.sections) {
    const bool level = !section.name.empty();
    if (level) point(shown_text(plan, section.name), section.anchor_href);
    for (std::size_t index : section.articles) {
      const ArticleEntry& a = plan.articles[index];
      point(a.title, a.href + "#" + a.anchor);
      w.close("navPoint");
    }
    if (level) w.close("navPoint");
  }
  w.close("navMap");
  w.close("ncx");
  return w.finish();
}

}  // namespace warraq::epub
