// PDF writer. Frames become content streams written by the stage itself: text with the
// fonts embedded as subsets and a ToUnicode map from the clusters, glyph outlines as
// forms, figures as images, with the document's structure tree, outline, destinations and
// page labels. Written to a temporary file and renamed. (Cairo's PDF surface did this
// until issue 8: it records, analyses and replays every page, which cost more than all
// the typesetting; docs/performance.md.)
#include "pdf/pdf.hpp"

#include <pango/pango.h>

#include <algorithm>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "io/io.hpp"
#include "pdf/canvas.hpp"
#include "pdf/emit.hpp"
#include "pdf/pdf_file.hpp"

namespace warraq::pdf {

namespace {

// PDF dates: D:YYYYMMDDHHmmSSZ.
std::string pdf_date(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "D:%Y%m%d%H%M%SZ", &tm);
  return buf;
}

std::string ref(int id) { return std::to_string(id) + " 0 R"; }

// A logical structure element (tagged PDF). Elements other than the document open and
// close on one page (the composer's rule), so their marked content is on that page.
struct Element {
  std::string type;
  int id = 0;
  int parent = 0;    // index in Writer::elements_; -1 for the root
  int page = 0;      // object id of the page its marked content is on
  std::string kids;  // MCIDs and child element references, in order
};

struct Outline {
  std::string title;
  std::string destination;
  int level = 0;
};

// Writes the pages as the typesetter finishes them: each page's content stream and page
// object go to the file at once; what refers to every page (page tree, structure tree,
// outline, destinations, labels) is written by finish().
class Writer {
 public:
  explicit Writer(PdfFile& file) : file_(file), resources_(file), pages_id_(file.reserve()) {
    elements_.push_back({"Document", file_.reserve(), -1, 0, {}});
  }

  void page(typeset::Page&& page) {
    const int page_id = file_.reserve();
    page_ids_.push_back(page_id);
    labels_.push_back(page.label);
    height_ = page.height;
    page_id_ = page_id;
    mcids_.clear();
    annotations_.clear();
    Canvas canvas(resources_, page.height);
    canvas_ = &canvas;
    // Runs are emitted a line at a time: the order inside a line is what extraction reads.
    std::vector<const typeset::GlyphRun*> line;
    int current = -1;
    auto flush = [&] {
      if (!line.empty()) {
        mark();
        emit_line(canvas, line);
      }
      line.clear();
    };
    for (const typeset::Item& item : page.items) {
      if (item.kind == typeset::Item::Kind::glyphs) {
        if (item.run.line != current) flush();
        current = item.run.line;
        line.push_back(&item.run);
      } else if (item.kind == typeset::Item::Kind::tag) {
        flush();  // a structure element holds whole lines
        current = -1;
        unmark();
        if (item.tag.begin) {
          elements_.push_back({item.tag.name, file_.reserve(), open_.back(), page_id, {}});
          const int index = static_cast<int>(elements_.size()) - 1;
          elements_[static_cast<std::size_t>(open_.back())].kids += ref(elements_.back().id) + ' ';
          open_.push_back(index);
        } else if (open_.size() > 1) {
          open_.pop_back();
        }
      } else {
        draw(item);
      }
    }
    flush();
    unmark();
    while (open_.size() > 1) open_.pop_back();  // elements never span pages

    const int content_id = file_.reserve();
    file_.stream(content_id, "", canvas.content());
    std::string object = "<</Type/Page/Parent " + ref(pages_id_) + "/MediaBox[0 0 " +
                         number(page.width) + ' ' + number(page.height) + "]/Resources " +
                         ref(resources_.dictionary_id()) + "/Contents " + ref(content_id);
    if (!mcids_.empty()) {
      const int key = next_parent_key_++;
      object += "/StructParents " + std::to_string(key);
      std::string array = "[";
      for (int element : mcids_)
        array += ref(elements_[static_cast<std::size_t>(element)].id) + ' ';
      array += ']';
      parent_tree_.emplace(key, std::move(array));
    }
    if (!annotations_.empty()) object += "/Tabs/S/Annots[" + annotations_ + "]";
    object += ">>";
    file_.object(page_id, object);
    canvas_ = nullptr;
  }

  int pages() const { return static_cast<int>(page_ids_.size()); }
  // An image that could not be read (a PNG that is corrupt past its header), for the report.
  const std::string& failed_image() const { return failed_image_; }

  // Writes fonts, page tree, structure, destinations, outline, labels, catalog and the
  // cross-reference table. False with `error` when a font cannot be written.
  bool finish(const model::Edition& edition, const Options& options, std::string& error) {
    if (!resources_.finish(error)) return false;
    std::string kids;
    for (int id : page_ids_) kids += ref(id) + ' ';
    file_.object(pages_id_, "<</Type/Pages/Kids[" + kids + "]/Count " +
                                std::to_string(page_ids_.size()) + ">>");

    // Structure tree.
    const int root_id = file_.reserve();
    const int parent_tree_id = file_.reserve();
    for (const Element& e : elements_) {
      std::string body =
          "<</Type/StructElem/S" + name(e.type) + "/P " +
          ref(e.parent < 0 ? root_id : elements_[static_cast<std::size_t>(e.parent)].id);
      if (e.page) body += "/Pg " + ref(e.page);
      if (!e.kids.empty()) body += "/K[" + e.kids + "]";
      body += ">>";
      file_.object(e.id, body);
    }
    std::string nums;
    for (const auto& [key, value] : parent_tree_) nums += std::to_string(key) + ' ' + value + ' ';
    file_.object(parent_tree_id, "<</Nums[" + nums + "]>>");
    file_.object(root_id, "<</Type/StructTreeRoot/K " + ref(elements_.front().id) + "/ParentTree " +
                              ref(parent_tree_id) + "/ParentTreeNextKey " +
                              std::to_string(next_parent_key_) + ">>");

    std::string catalog = "<</Type/Catalog/Pages " + ref(pages_id_) + "/StructTreeRoot " +
                          ref(root_id) + "/MarkInfo<</Marked true>>/Lang" +
                          text_string(edition.locale);
    if (edition.direction == model::Direction::rtl)
      catalog += "/ViewerPreferences<</Direction/R2L>>";

    // Named destinations, sorted by name as the name tree requires.
    if (!destinations_.empty()) {
      std::string names;
      for (const auto& [n, destination] : destinations_)
        names += literal_string(n) + destination + ' ';
      const int dests = file_.reserve();
      file_.object(dests, "<</Names[" + names + "]>>");
      catalog += "/Names<</Dests " + ref(dests) + ">>";
    }
    if (!outline_.empty()) catalog += "/Outlines " + ref(write_outline()) + "/PageMode/UseOutlines";
    std::string labels;
    for (std::size_t k = 0; k < labels_.size(); ++k)
      labels += std::to_string(k) + "<</P" + text_string(labels_[k]) + ">>";
    catalog += "/PageLabels<</Nums[" + labels + "]>>>>";
    const int catalog_id = file_.reserve();
    file_.object(catalog_id, catalog);

    const std::string date = text_string(pdf_date(options.creation_time));
    std::string info = "<</Title" + text_string(edition.title);
    if (!edition.publisher.empty()) info += "/Author" + text_string(edition.publisher);
    info += "/Subject" +
            text_string(edition.title + (edition.number.empty() ? "" : " " + edition.number) +
                        " — " + edition.date.iso());
    // Keywords: the edition's section names, what a library catalogue or a search index
    // files the edition under.
    std::string keywords;
    for (const auto& section : edition.sections)
      keywords += (keywords.empty() ? "" : ", ") + section.name;
    if (!keywords.empty()) info += "/Keywords" + text_string(keywords);
    info += "/Creator" + text_string("Warraq " WARRAQ_VERSION) + "/Producer" +
            text_string("Warraq " WARRAQ_VERSION) + "/CreationDate" + date + "/ModDate" + date +
            ">>";
    const int info_id = file_.reserve();
    file_.object(info_id, info);
    file_.finish(catalog_id, info_id);
    return true;
  }

 private:
  // Content drawn from here on belongs to the innermost open element (marked content with
  // a new MCID) or, directly under the document, is an artifact: running heads, rules,
  // folios.
  void mark() {
    if (marked_) return;
    marked_ = true;
    if (open_.size() == 1) {
      canvas_->begin_artifact();
      return;
    }
    Element& e = elements_[static_cast<std::size_t>(open_.back())];
    const int mcid = static_cast<int>(mcids_.size());
    mcids_.push_back(open_.back());
    e.kids += std::to_string(mcid) + ' ';
    canvas_->begin_marked(e.type, mcid);
  }
  void unmark() {
    if (!marked_) return;
    canvas_->end_marked();
    marked_ = false;
  }

  void draw(const typeset::Item& item) {
    switch (item.kind) {
      case typeset::Item::Kind::glyphs:
      case typeset::Item::Kind::tag:
        break;  // drawn a line at a time by emit_line(); tags in page()
      case typeset::Item::Kind::outline:
        mark();
        draw_ink(*canvas_, item.ink.font, item.ink.color, item.ink.glyphs);
        break;
      case typeset::Item::Kind::rule:
        mark();
        canvas_->rule(item.rule);
        break;
      case typeset::Item::Kind::image: {
        const auto& image = item.image;
        if (image.width <= 0 || image.height <= 0) break;
        std::string error;
        const int resource = canvas_->resources().image(image, error);
        if (resource == 0) {
          if (failed_image_.empty()) failed_image_ = error;
          break;
        }
        mark();
        canvas_->image(resource, image.x, image.y, image.width, image.height);
        break;
      }
      case typeset::Item::Kind::link: {
        const auto& l = item.link;
        std::string annotation = "<</Type/Annot/Subtype/Link/Rect[" + number(l.x) + ' ' +
                                 number(height_ - l.y - l.height) + ' ' + number(l.x + l.width) +
                                 ' ' + number(height_ - l.y) + "]/Border[0 0 0]";
        if (l.destination.empty())
          annotation += "/A<</S/URI/URI" + literal_string(l.uri) + ">>";
        else
          annotation += "/Dest" + literal_string(l.destination);
        // Tagged PDF wants every annotation in the structure: a Link element under the
        // open element, holding the annotation by object reference.
        const int id = file_.reserve();
        elements_.push_back({"Link", file_.reserve(), open_.back(), page_id_, {}});
        Element& link = elements_.back();
        link.kids = "<</Type/OBJR/Obj " + ref(id) + "/Pg " + ref(page_id_) + ">>";
        elements_[static_cast<std::size_t>(open_.back())].kids += ref(link.id) + ' ';
        const int key = next_parent_key_++;
        parent_tree_.emplace(key, ref(link.id));
        annotation += "/StructParent " + std::to_string(key) + ">>";
        file_.object(id, annotation);
        annotations_ += ref(id) + ' ';
        break;
      }
      case typeset::Item::Kind::anchor: {
        const auto& a = item.anchor;
        destinations_[a.name] =
            "[" + ref(page_id_) + "/XYZ " + number(a.x) + ' ' + number(height_ - a.y) + " 0]";
        if (!a.outline_title.empty())
          outline_.push_back({a.outline_title, a.name, a.outline_level});
        break;
      }
    }
  }

  // The outline: sections at the top, their articles under them, all open.
  int write_outline() {
    struct Node {
      int id = 0;
      const Outline* entry = nullptr;
      std::vector<Node> kids;
    };
    Node root;
    bool in_section = false;  // an article before any section entry stays at the top
    for (const Outline& o : outline_) {
      if (o.level == 0 || !in_section)
        root.kids.push_back({0, &o, {}});
      else
        root.kids.back().kids.push_back({0, &o, {}});
      if (o.level == 0) in_section = true;
    }
    root.id = file_.reserve();
    int total = 0;
    std::function<void(Node&)> number_ids = [&](Node& n) {
      for (Node& k : n.kids) {
        k.id = file_.reserve();
        ++total;
        number_ids(k);
      }
    };
    number_ids(root);
    std::function<int(const Node&, int)> write = [&](const Node& n, int parent) {
      int count = 0;
      for (std::size_t k = 0; k < n.kids.size(); ++k) {
        const Node& kid = n.kids[k];
        const int below = write(kid, kid.id);
        count += 1 + below;
        std::string body = "<</Title" + text_string(kid.entry->title) + "/Parent " + ref(parent) +
                           "/Dest" + literal_string(kid.entry->destination);
        if (k > 0) body += "/Prev " + ref(n.kids[k - 1].id);
        if (k + 1 < n.kids.size()) body += "/Next " + ref(n.kids[k + 1].id);
        if (!kid.kids.empty())
          body += "/First " + ref(kid.kids.front().id) + "/Last " + ref(kid.kids.back().id) +
                  "/Count " + std::to_string(below);
        body += ">>";
        file_.object(kid.id, body);
      }
      return count;
    };
    write(root, root.id);
    file_.object(root.id, "<</Type/Outlines/First " + ref(root.kids.front().id) + "/Last " +
                              ref(root.kids.back().id) + "/Count " + std::to_string(total) + ">>");
    return root.id;
  }

  PdfFile& file_;
  Resources resources_;
  int pages_id_;
  std::vector<int> page_ids_;
  std::vector<std::string> labels_;
  std::vector<Element> elements_;           // [0]: the document
  std::vector<int> open_{0};                // open elements, innermost last
  std::vector<int> mcids_;                  // this page: element of each MCID
  std::map<int, std::string> parent_tree_;  // key -> a page's MCID array or a Link element
  int next_parent_key_ = 0;
  std::map<std::string, std::string> destinations_;
  std::vector<Outline> outline_;
  std::string annotations_;
  std::string failed_image_;
  Canvas* canvas_ = nullptr;
  double height_ = 0;
  int page_id_ = 0;
  bool marked_ = false;
};

// Writing runs beside typesetting: the typesetter hands each finished page to a second
// thread that writes it (emission, content stream, deflate), so composing page N+1 and
// writing page N use both cores. The writer sees the pages in order, as one thread would,
// so the bytes are the same. A few pages at most wait in the queue, so a long edition is
// still never held whole (ARCHITECTURE.md, Frames).
//
// Fonts: the typesetter's thread creates each font's HarfBuzz font (Pango makes it lazily
// and unguarded; the emission asks it for nominal glyphs) before the page is queued, and
// keeps a reference to every font it queued until writing is over, so the last unreference
// of a Pango font, which touches the font map, never happens on the writing thread while
// the typesetter still uses the map.
class PagePipe {
 public:
  explicit PagePipe(std::size_t depth) : depth_(depth) {}

  void push(typeset::Page&& page) {
    std::unique_lock<std::mutex> lock(mutex_);
    space_.wait(lock, [&] { return pages_.size() < depth_ || failed_; });
    if (failed_) return;  // the drawer stopped: nothing more is drawn, write_pdf reports it
    pages_.push_back(std::move(page));
    ready_.notify_one();
  }
  std::optional<typeset::Page> pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return !pages_.empty() || closed_; });
    if (pages_.empty()) return std::nullopt;
    typeset::Page page = std::move(pages_.front());
    pages_.pop_front();
    space_.notify_one();
    return page;
  }
  void close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    ready_.notify_all();
  }
  void fail() {
    std::lock_guard<std::mutex> lock(mutex_);
    failed_ = true;
    pages_.clear();
    space_.notify_all();
  }

 private:
  std::size_t depth_;
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<typeset::Page> pages_;
  bool closed_ = false, failed_ = false;
};

// Runs `draw` on every page pushed, on its own thread, until close_and_join().
class Drawer {
 public:
  explicit Drawer(Writer& writer)
      : pipe_(2), thread_([this, &writer] {
          try {
            while (auto page = pipe_.pop()) writer.page(std::move(*page));
          } catch (...) {
            error_ = std::current_exception();
            pipe_.fail();
          }
        }) {}
  ~Drawer() {
    if (!thread_.joinable()) return;  // unwinding from the typesetter: finish, drop errors
    pipe_.close();
    thread_.join();
  }
  Drawer(const Drawer&) = delete;
  Drawer& operator=(const Drawer&) = delete;

  void push(typeset::Page&& page) {
    for (const typeset::Item& item : page.items) {
      if (item.kind == typeset::Item::Kind::glyphs)
        hold(item.run.font);
      else if (item.kind == typeset::Item::Kind::outline)
        hold(item.ink.font);
    }
    pipe_.push(std::move(page));
  }
  // Waits for every queued page to be drawn; rethrows what the drawing thread threw.
  void close_and_join() {
    if (!thread_.joinable()) return;
    pipe_.close();
    thread_.join();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  void hold(const typeset::FontRef& font) {
    auto* pango_font = static_cast<PangoFont*>(font.handle());
    if (!pango_font || !held_.emplace(pango_font, font).second) return;
    pango_font_get_hb_font(pango_font);  // made lazily and unguarded: made here
  }

  PagePipe pipe_;
  std::exception_ptr error_;
  std::map<PangoFont*, typeset::FontRef> held_;  // released after the join
  std::thread thread_;                           // last: started once the rest exists
};

}  // namespace

bool write_pdf(const model::Edition& edition, const model::Layout& layout,
               const typeset::FontSet& fonts, const Options& options,
               const std::filesystem::path& output, model::Diagnostics& diagnostics,
               Result* result) {
  const model::SourceLocation where{output.string()};
  io::AtomicFile temporary(output);
  if (!temporary.stream()) {
    diagnostics.error("output-unwritable", where, "cannot create the output: " + temporary.error());
    return false;
  }
  bool ok = true;
  typeset::Statistics statistics;
  int pages = 0;
  {
    PdfFile file(temporary.stream());
    Writer writer(file);
    try {
      Drawer drawer(writer);
      ok = typeset::typeset(
          edition, layout, fonts, options.typesetting,
          [&](typeset::Page&& page) { drawer.push(std::move(page)); }, diagnostics, &statistics);
      drawer.close_and_join();
    } catch (const std::exception& e) {
      diagnostics.error("pdf-write", where, std::string("cannot write the PDF: ") + e.what());
      ok = false;
    }
    pages = writer.pages();
    if (ok && !writer.failed_image().empty()) {
      diagnostics.error("bad-image", where, writer.failed_image());
      ok = false;
    }
    std::string error;
    if (ok && !writer.finish(edition, options, error)) {
      diagnostics.error("pdf-write", where, "cannot write the PDF: " + error);
      ok = false;
    }
    if (ok && !file.ok()) {
      diagnostics.error("output-unwritable", where, "cannot write the output: " + file.error());
      ok = false;
    }
  }
  if (!ok) return false;
  if (!temporary.commit()) {
    diagnostics.error("output-unwritable", where, "cannot write the output: " + temporary.error());
    return false;
  }
  if (result) {
    result->pages = pages;
    result->statistics = std::move(statistics);
  }
  return true;
}

}  // namespace warraq::pdf
