// Kashida placement follows the priority order Microsoft publishes for Arabic justification
// (the SCRIPT_JUSTIFY_ARABIC_* classes of Uniscribe, also summarised in the W3C "Arabic and
// Persian Layout Requirements", section on kashida): after seen/sad, before a final
// heh/teh marbuta, before a final alef/tah/lam/kaf, between a medial beh and a final reh/yeh,
// before a final waw/ain/qaf/feh, then any other join. Never across a letter that does not
// join to the next one, never inside lam-alef, never in a word that already has a tatweel.
#include "kashida.hpp"

#include <unicode/uchar.h>

#include <algorithm>

namespace warraq::typeset {

bool is_arabic_letter(char32_t c) {
  return (c >= 0x0620 && c <= 0x064A) || (c >= 0x066E && c <= 0x06D3) || c == 0x06D5 ||
         (c >= 0x06FA && c <= 0x06FC) || (c >= 0x0750 && c <= 0x077F);
}

bool is_latin_letter(char32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= 0x00C0 && c <= 0x024F && c != 0x00D7 && c != 0x00F7) || (c >= 0x1E00 && c <= 0x1EFF);
}

namespace {

int joining(char32_t c) {
  return u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_JOINING_TYPE);
}

bool joins_forward(char32_t c) {  // connects to the following letter
  const int t = joining(c);
  return t == U_JT_DUAL_JOINING || t == U_JT_JOIN_CAUSING;
}

bool joins_backward(char32_t c) {  // connects to the preceding letter
  const int t = joining(c);
  return t == U_JT_DUAL_JOINING || t == U_JT_RIGHT_JOINING || t == U_JT_JOIN_CAUSING;
}

bool in(char32_t c, std::initializer_list<char32_t> set) {
  return std::find(set.begin(), set.end(), c) != set.end();
}

bool is_alef(char32_t c) { return in(c, {0x0622, 0x0623, 0x0625, 0x0627, 0x0671}); }

}  // namespace

std::vector<KashidaPoint> kashida_points(const std::vector<char32_t>& word) {
  std::vector<KashidaPoint> points;
  if (std::find(word.begin(), word.end(), U'\u0640') != word.end()) return points;

  // Base letters only: harakat are transparent to joining and ride on their letter.
  std::vector<int> bases;
  for (int i = 0; i < static_cast<int>(word.size()); ++i)
    if (joining(word[i]) != U_JT_TRANSPARENT) bases.push_back(i);

  for (std::size_t k = 0; k + 1 < bases.size(); ++k) {
    const char32_t p = word[bases[k]];
    const char32_t q = word[bases[k + 1]];
    if (!is_arabic_letter(p) || !is_arabic_letter(q)) continue;
    if (!joins_forward(p) || !joins_backward(q)) continue;
    if (p == 0x0644 && is_alef(q)) continue;  // lam-alef is one ligature
    const bool q_final =
        k + 2 >= bases.size() || !joins_forward(q) || !is_arabic_letter(word[bases[k + 2]]);
    int priority = 7;
    if (in(p, {0x0633, 0x0634, 0x0635, 0x0636}))
      priority = 1;  // seen, sheen, sad, dad
    else if (q_final && in(q, {0x0647, 0x0629}))
      priority = 2;  // heh, teh marbuta
    else if (q_final && (is_alef(q) || in(q, {0x0637, 0x0638, 0x0644, 0x0643, 0x06AF})))
      priority = 3;  // alef, tah, zah, lam, kaf, gaf
    else if (q_final && in(q, {0x0631, 0x0632, 0x064A, 0x0649}) &&
             in(p, {0x0628, 0x062A, 0x062B, 0x0646, 0x064A, 0x0626}))
      priority = 4;  // beh family + reh/yeh
    else if (q_final && in(q, {0x0648, 0x0639, 0x063A, 0x0642, 0x0641}))
      priority = 5;  // waw, ain, ghain, qaf, feh
    else if (q_final)
      priority = 6;
    // The elongation is drawn after the letter and its harakat.
    int after = bases[k];
    while (after + 1 < bases[k + 1]) ++after;
    points.push_back({after, priority});
  }
  std::stable_sort(points.begin(), points.end(), [](const KashidaPoint& a, const KashidaPoint& b) {
    return a.priority != b.priority ? a.priority < b.priority : a.after > b.after;
  });
  return points;
}

}  // namespace warraq::typeset
