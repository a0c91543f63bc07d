#pragma once
// The one way the model changes: the records of a revision, applied to the latest snapshot,
// make the next one. Start-up applies the fixtures (revision 1) and then every revision of the
// log; a write applies its own once committed. What the records do not touch is shared with
// the snapshot before (see pricing/table.hpp), so a revision costs about what it adds.

#include "pricing/dataset.hpp"

#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace crossrate {

// One record of a revision, parsed and checked (records.hpp), its id assigned.
struct Change {
    std::variant<Source, Quote, RateReport> record;
    std::string supersedes;  // the id of the quote or rate it corrects, if any
};

// `base` (the latest snapshot: base.revision == base.latest) with revision `revision`'s
// changes applied in order. Holds what keeps the model whole, whatever checked the records
// before: ids used once, cited sources and items present, excerpts verbatim in the articles
// the fixtures hold, a correction naming a record still current, one rate a series and date.
// The first change that breaks one is the error, and `base` is untouched.
Result<std::shared_ptr<const Dataset>> apply(const Dataset& base, RevisionNumber revision, std::vector<Change> changes);

}  // namespace crossrate
