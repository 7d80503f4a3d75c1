// Where a kashida (an elongated join) may go in an Arabic word, and how good a place it is.
// Private to engine/typeset; the scheme is written down in docs/typography.md.
#pragma once

#include <cstdint>
#include <vector>

namespace warraq::typeset {

struct KashidaPoint {
  int after = 0;     // index (in the word's code points) of the letter the join leaves
  int priority = 0;  // 1 best .. 7 worst
};

// Candidate points of one word given as code points in logical order, best first (ties: the
// one nearer the word's end first). Empty when the word already holds a tatweel (the author
// has justified it by hand) or has no join that may be stretched.
std::vector<KashidaPoint> kashida_points(const std::vector<char32_t>& word);

bool is_arabic_letter(char32_t c);
bool is_latin_letter(char32_t c);

}  // namespace warraq::typeset
