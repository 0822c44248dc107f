// Registry of the seed models linked into metergen-meter.
#include "model_registry.hpp"

#include <algorithm>
#include <vector>

#include <seed_models.hpp>

namespace metergen::host {

const tables::Model* find_model(std::string_view id) {
  for (const tables::Model* model : seed_models::kAll)
    if (id == model->id) return model;
  return nullptr;
}

std::string known_model_ids() {
  std::vector<std::string> sorted;
  for (const tables::Model* model : seed_models::kAll) sorted.emplace_back(model->id);
  std::sort(sorted.begin(), sorted.end());
  std::string ids;
  for (const std::string& id : sorted) ids += (ids.empty() ? "" : ", ") + id;
  return ids;
}

}  // namespace metergen::host
