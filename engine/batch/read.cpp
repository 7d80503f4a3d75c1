// A job's inputs into one edition: the one place where input formats plug in. The input
// stage detects each file's format (native XML, NITF, RSS, Atom, scraped text) and joins
// several inputs into one edition (sections by name, article ids made unique).
#include "input/input.hpp"
#include "internal.hpp"

namespace warraq::batch {

std::optional<model::Edition> read_job(const Job& job, model::Diagnostics& diagnostics) {
  // keep_going: a bad input (an article, a feed) is reported and left out, the rest of the
  // edition is still built; with bad-input = fail any bad input fails the edition.
  auto edition = input::read_inputs(job.inputs, std::nullopt, job.skip_bad_inputs, diagnostics);
  if (!edition) return std::nullopt;
  if (!job.title.empty()) edition->title = job.title;
  if (job.date) edition->date = *job.date;
  return edition;
}

}  // namespace warraq::batch
