// Registry of the seed models linked into metergen-meter.
#include "model_registry.hpp"

#include <clms100/model.hpp>
#include <dtsd545/model.hpp>
#include <hxe312-kp/model.hpp>
#include <hxf300-eu/model.hpp>

namespace metergen::host {
namespace {

const tables::Model* const kModels[] = {
    &models::clms100::model,
    &models::dtsd545::model,
    &models::hxe312_kp::model,
    &models::hxf300_eu::model,
};

}  // namespace

const tables::Model* find_model(std::string_view id) {
  for (const tables::Model* model : kModels)
    if (id == model->id) return model;
  return nullptr;
}

std::string known_model_ids() {
  std::string ids;
  for (const tables::Model* model : kModels) ids += (ids.empty() ? "" : ", ") + std::string(model->id);
  return ids;
}

}  // namespace metergen::host
