// The meter models linked into metergen-meter, by id: the seed models of
// METERGEN_SEED_MODELS (cmake/SeedModels.cmake, generated <seed_models.hpp>).
#pragma once

#include <string>
#include <string_view>

#include <metergen/model_tables.hpp>

namespace metergen::host {

// The model with this id, or nullptr.
const tables::Model* find_model(std::string_view id);
// The known ids, comma-separated (for error messages).
std::string known_model_ids();

}  // namespace metergen::host
