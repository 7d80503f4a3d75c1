// Shared by the composition tests (tests/typeset/compose_*.cpp, tests/pdf/compose_*.cpp):
// the shipped layouts, the sample images (drawn, never committed) and a generated edition
// of many articles with figures.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace warraq::test::compose {

inline const std::vector<std::string>& layouts() {
  static const std::vector<std::string> names = {"broadsheet", "tabloid", "a4-digest", "a5-book"};
  return names;
}

// Draws samples/img/ once per test process (scripts/make-sample-images.sh).
inline void ensure_sample_images() {
  static const bool done = [] {
    const auto r = run({"bash", (source_dir() / "scripts" / "make-sample-images.sh").string()});
    if (r.status != 0) throw std::runtime_error("make-sample-images.sh failed: " + r.err);
    return true;
  }();
  (void)done;
}

// An edition of `count` articles in four sections, weights 1–5, with paragraphs, lists,
// quotes, pull quotes and figures (PNG and JPEG, one to three columns), written into `dir`
// with the sample images copied beside it.
inline std::filesystem::path generated_edition(const std::filesystem::path& dir, int count) {
  ensure_sample_images();
  namespace fs = std::filesystem;
  fs::create_directories(dir / "img");
  for (const auto& e : fs::directory_iterator(source_dir() / "samples" / "img"))
    fs::copy_file(e.path(), dir / "img" / e.path().filename(),
                  fs::copy_options::overwrite_existing);
  const char* sections[][2] = {
      {"front", "الأولى"}, {"economy", "اقتصاد"}, {"culture", "ثقافة"}, {"sports", "رياضة"}};
  const char* images[] = {"tram.jpg", "chart.png", "harbour.jpg", "portrait.png"};
  const std::string para =
      "وقال المسؤول في تصريح صحفي إن المشروع سيخدم أكثر من مليون ساكن، وإن زمن الرحلة بين "
      "الضواحي ووسط المدينة سينخفض إلى أقل من أربعين دقيقة في أوقات الذروة، على أن تنطلق "
      "الأشغال في الربع الأول من السنة المقبلة بتمويل مشترك بين الدولة والجماعات المحلية.";
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<edition version=\"1\" locale=\"ar-MA\" dir=\"rtl\" date=\"2024-11-25\" number=\"1234\">\n"
      "  <title>ورّاق اليومية</title>\n  <publisher>دار ورّاق للنشر</publisher>\n";
  int n = 0;
  for (int s = 0; s < 4; ++s) {
    xml +=
        std::string("  <section id=\"") + sections[s][0] + "\" name=\"" + sections[s][1] + "\">\n";
    const int in_section = count / 4 + (s < count % 4 ? 1 : 0);
    for (int k = 0; k < in_section; ++k, ++n) {
      const int weight = n == 0 ? 5 : 1 + (n * 7) % 4;
      const int paragraphs = 2 + (n * 5) % 6;
      xml += "    <article id=\"a" + std::to_string(n + 1) + "\" weight=\"" +
             std::to_string(weight) + "\">\n";
      xml += "      <kicker>متابعة " + std::to_string(n + 1) + "</kicker>\n";
      xml += "      <headline>العنوان رقم " + std::to_string(n + 1) +
             ": الحكومة تعلن خطة جديدة للنقل الحضري</headline>\n";
      if (weight >= 3) xml += "      <subheadline>ثلاثة خطوط جديدة بحلول 2027</subheadline>\n";
      xml += "      <byline>هيئة التحرير</byline>\n      <dateline>الرباط</dateline>\n";
      xml += "      <body>\n";
      if (n % 3 == 0)
        xml += std::string("        <figure src=\"img/") + images[n % 4] + "\" columns=\"" +
               std::to_string(1 + n % 3 + (weight >= 4 ? 1 : 0)) +
               "\" alt=\"صورة\"><caption>صورة توضيحية للخبر رقم " + std::to_string(n + 1) +
               ".</caption><credit>تصوير: الأرشيف</credit></figure>\n";
      for (int p = 0; p < paragraphs; ++p) {
        xml += "        <p>" + para + "</p>\n";
        if (p == 1 && n % 4 == 1) xml += "        <subheading>تمويل مشترك</subheading>\n";
        if (p == 1 && n % 4 == 2)
          xml += "        <pullquote>المدينة تُرسم من جديد حول محطاتها</pullquote>\n";
        if (p == 2 && n % 4 == 3)
          xml +=
              "        <list type=\"numbered\"><item>الخط الأول</item><item>الخط "
              "الثاني</item></list>\n";
        if (p == 0 && n % 5 == 4)
          xml += "        <quote cite=\"خبير\">النقل العمومي هو مفتاح المدينة.</quote>\n";
      }
      xml += "      </body>\n    </article>\n";
    }
    xml += "  </section>\n";
  }
  xml += "</edition>\n";
  const auto path = dir / "edition.xml";
  write_file(path, xml);
  return path;
}

}  // namespace warraq::test::compose
