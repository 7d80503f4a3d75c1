// Private to engine/typeset: what one composition pass learns about where things landed,
// fed to the next pass so printed page numbers (contents, jump lines) come out right.
#pragma once

#include <map>
#include <string>

namespace warraq::typeset {

struct Plan {
  std::map<std::string, int> article_page;       // article id -> page of its head
  std::map<std::string, int> continuation_page;  // "id#n" -> page of its n-th continuation
  friend bool operator==(const Plan&, const Plan&) = default;
};

}  // namespace warraq::typeset
